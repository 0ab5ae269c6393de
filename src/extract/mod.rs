//! One module per input format, each turning bytes into a [`Document`].

pub mod docx;
pub mod html;
pub mod mhtml;
pub mod ofd;
pub mod pdf;
pub mod sheet;
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
    #[error(transparent)]
    Doc(#[from] docx::binary::DocError),
    #[error(transparent)]
    Rtf(#[from] docx::rtf::RtfError),
    #[error(transparent)]
    Mhtml(#[from] mhtml::MhtmlError),
    #[error(transparent)]
    Sheet(#[from] sheet::SheetError),
}

impl ExtractError {
    /// The stable error kind written to the errors file.
    pub fn kind(&self) -> &'static str {
        match self {
            ExtractError::Html(e) => e.kind(),
            ExtractError::Pdf(e) => e.kind(),
            ExtractError::Docx(e) => e.kind(),
            ExtractError::Ofd(e) => e.kind(),
            ExtractError::Doc(e) => e.kind(),
            ExtractError::Rtf(e) => e.kind(),
            ExtractError::Mhtml(e) => e.kind(),
            ExtractError::Sheet(e) => e.kind(),
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
        Format::Doc => docx::binary::extract(bytes, limits)?,
        Format::Rtf => docx::rtf::extract(bytes, limits)?,
        Format::Mhtml => mhtml::extract(bytes, limits)?,
        Format::Xlsx => sheet::extract_xlsx(bytes, limits)?,
        Format::Xls => sheet::extract_xls(bytes, limits)?,
    })
}

/// Ask the kernel to back the spare capacity of `buf` with transparent huge pages, where it
/// spans whole ones: an inflated part of tens of megabytes is otherwise thousands of page
/// faults, each clearing one small page (a third of the time of a 20 MB `document.xml`).
/// Advice only: where transparent huge pages are off, or on other systems, nothing changes.
pub(crate) fn huge_pages(buf: &mut Vec<u8>) {
    const HUGE: usize = 2 << 20;
    #[cfg(target_os = "linux")]
    if buf.capacity() >= 2 * HUGE {
        let start = buf.as_mut_ptr() as usize;
        let end = start + buf.capacity();
        let first = start.next_multiple_of(HUGE);
        let last = end / HUGE * HUGE;
        if last > first {
            // SAFETY: the range lies within the vector's own allocation, and advice about
            // huge pages changes how it is backed, never its contents.
            let _ = unsafe {
                rustix::mm::madvise(
                    first as *mut std::ffi::c_void,
                    last - first,
                    rustix::mm::Advice::LinuxHugepage,
                )
            };
        }
    }
}
