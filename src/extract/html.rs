//! HTML disclosure pages.

use crate::config::Limits;
use crate::document::Document;

#[derive(Debug, thiserror::Error)]
pub enum HtmlError {
    #[error("not implemented")]
    NotImplemented,
}

impl HtmlError {
    pub fn kind(&self) -> &'static str {
        "unsupported"
    }
}

pub fn extract(_bytes: &[u8], _limits: &Limits) -> Result<Document, HtmlError> {
    Err(HtmlError::NotImplemented)
}
