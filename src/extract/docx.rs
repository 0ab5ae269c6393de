//! DOCX: zip + quick-xml, streaming, rendering what Word shows (issue 6).

use crate::config::Limits;
use crate::document::Document;

#[derive(Debug, thiserror::Error)]
pub enum DocxError {
    #[error("docx extraction is not implemented yet")]
    NotImplemented,
}

impl DocxError {
    pub fn kind(&self) -> &'static str {
        match self {
            DocxError::NotImplemented => "unsupported",
        }
    }
}

/// Extract a DOCX file.
///
/// # Errors
/// [`DocxError`] when the file cannot be read as a DOCX package.
pub fn extract(_bytes: &[u8], _limits: &Limits) -> Result<Document, DocxError> {
    Err(DocxError::NotImplemented)
}
