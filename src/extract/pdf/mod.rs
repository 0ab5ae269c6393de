//! PDF: lopdf parses the file; our own content-stream interpreter, font and CMap layer and
//! layout analysis turn it into text (issue 5).

use crate::config::Limits;
use crate::document::Document;

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("pdf text extraction is not implemented yet")]
    NotImplemented,
}

impl PdfError {
    pub fn kind(&self) -> &'static str {
        match self {
            PdfError::NotImplemented => "unsupported",
        }
    }
}

/// Extract a PDF file.
///
/// # Errors
/// [`PdfError`] when the file cannot be parsed as a PDF.
pub fn extract(_bytes: &[u8], _limits: &Limits) -> Result<Document, PdfError> {
    Err(PdfError::NotImplemented)
}
