//! One module per input format, each turning bytes into a [`Document`].

pub mod docx;
pub mod html;
pub mod ofd;
pub mod pdf;
pub mod tokenize;

use crate::config::Limits;
use crate::document::Document;
use crate::record::Format;

/// Why an extractor gave up on a file.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error(transparent)]
    Html(#[from] html::HtmlError),
    #[error(transparent)]
    Pdf(#[from] pdf::PdfError),
    #[error(transparent)]
    Docx(#[from] docx::DocxError),
    #[error(transparent)]
    Ofd(#[from] ofd::OfdError),
}

impl ExtractError {
    /// The stable error kind written to the errors file.
    pub fn kind(&self) -> &'static str {
        match self {
            ExtractError::Html(e) => e.kind(),
            ExtractError::Pdf(e) => e.kind(),
            ExtractError::Docx(e) => e.kind(),
            ExtractError::Ofd(e) => e.kind(),
        }
    }
}

/// Extract `bytes` of the given format.
///
/// # Errors
/// The format's own error when the file cannot be read as that format at all; damage that still
/// leaves something to read becomes a warning in the returned document instead.
pub fn extract(format: Format, bytes: &[u8], limits: &Limits) -> Result<Document, ExtractError> {
    Ok(match format {
        Format::Html => html::extract(bytes, limits)?,
        Format::Pdf => pdf::extract(bytes, limits)?,
        Format::Docx => docx::extract(bytes, limits)?,
        Format::Ofd => ofd::extract(bytes, limits)?,
    })
}
