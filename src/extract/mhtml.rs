//! MHTML web archives (`.mht`, Word's "single file web page", often saved under a `.doc` name)
//! → the HTML page they carry, read by [`super::html`].
//!
//! In: a MIME message (`MIME-Version:` and `Content-Type:` headers, usually
//! `multipart/related`), parsed with the `mailparse` crate. Out: the [`Document`] of its first
//! `text/html` part, its transfer encoding (quoted-printable, base64) undone and its bytes
//! left in their charset, which the HTML reader decides as for any page (the part's
//! `charset` parameter is a hint the page's own declaration and its bytes usually repeat).
//! Images and style sheets of the archive are not read.

use super::html::{self, HtmlError};
use crate::config::Limits;
use crate::document::Document;

/// Why an MHTML archive could not be read. `kind()` gives the stable error kind.
#[derive(Debug, thiserror::Error)]
pub enum MhtmlError {
    #[error("unreadable mime message")]
    Mime(#[source] mailparse::MailParseError),
    #[error("no text/html part in the archive")]
    NoHtml,
    #[error(transparent)]
    Html(#[from] HtmlError),
}

impl MhtmlError {
    /// The stable kind: `malformed`, or the HTML reader's.
    pub fn kind(&self) -> &'static str {
        match self {
            MhtmlError::Mime(_) | MhtmlError::NoHtml => "malformed",
            MhtmlError::Html(e) => e.kind(),
        }
    }
}

/// How far into the file the MIME headers are looked for.
const HEADER_BYTES: usize = 4096;

/// Whether `bytes` start a MIME message: header lines from the first byte, among them
/// `MIME-Version:` and a `Content-Type:` naming a multipart or HTML body.
pub fn is_mhtml(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(HEADER_BYTES)];
    let Some(first) = head.first() else {
        return false;
    };
    // A header name starts the file: no markup, no blank line first.
    if !first.is_ascii_alphabetic() {
        return false;
    }
    let lower = head.to_ascii_lowercase();
    let headers_end = memchr::memmem::find(&lower, b"\r\n\r\n")
        .or_else(|| memchr::memmem::find(&lower, b"\n\n"))
        .unwrap_or(lower.len());
    let headers = &lower[..headers_end];
    let has = |needle: &[u8]| memchr::memmem::find(headers, needle).is_some();
    has(b"mime-version:") && (has(b"content-type: multipart/") || has(b"content-type: text/html"))
}

/// Extract the HTML page of an MHTML archive.
///
/// # Errors
/// `malformed` when the MIME message cannot be parsed or holds no `text/html` part; the HTML
/// reader's error for the page it holds.
pub fn extract(bytes: &[u8], limits: &Limits) -> Result<Document, MhtmlError> {
    let message = mailparse::parse_mail(bytes).map_err(MhtmlError::Mime)?;
    let part = html_part(&message).ok_or(MhtmlError::NoHtml)?;
    let body = part.get_body_raw().map_err(MhtmlError::Mime)?;
    Ok(html::extract(&body, limits)?)
}

/// The first `text/html` part, depth first.
fn html_part<'a>(mail: &'a mailparse::ParsedMail<'a>) -> Option<&'a mailparse::ParsedMail<'a>> {
    if mail.ctype.mimetype.eq_ignore_ascii_case("text/html") {
        return Some(mail);
    }
    mail.subparts.iter().find_map(html_part)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An archive of `page` as Word writes one: multipart/related, the page quoted-printable.
    fn archive(page: &[u8]) -> Vec<u8> {
        let mut qp = String::new();
        for (i, b) in page.iter().enumerate() {
            if i > 0 && i % 60 == 0 {
                qp.push_str("=\r\n");
            }
            if b.is_ascii_graphic() && *b != b'=' || *b == b' ' {
                qp.push(*b as char);
            } else {
                qp.push_str(&format!("={b:02X}"));
            }
        }
        let mut out = String::from(concat!(
            "MIME-Version: 1.0\r\n",
            "Content-Type: multipart/related; boundary=\"----=_NextPart_01D\"\r\n\r\n",
            "This document is a Single File Web Page, also known as a Web Archive file.\r\n\r\n",
            "------=_NextPart_01D\r\n",
            "Content-Location: file:///C:/x.htm\r\n",
            "Content-Transfer-Encoding: quoted-printable\r\n",
            "Content-Type: text/html; charset=\"gb2312\"\r\n\r\n",
        ));
        out.push_str(&qp);
        out.push_str(concat!(
            "\r\n\r\n------=_NextPart_01D\r\n",
            "Content-Location: file:///C:/x.files/image001.png\r\n",
            "Content-Transfer-Encoding: base64\r\n",
            "Content-Type: image/png\r\n\r\niVBORw0KGgo=\r\n\r\n",
            "------=_NextPart_01D--\r\n",
        ));
        out.into_bytes()
    }

    #[test]
    fn the_page_of_an_archive_is_read_in_its_charset() {
        let html = "<html><head><meta http-equiv=Content-Type content=\"text/html; charset=gb2312\">\
                    <title>关于开展检查的通知</title></head><body><div class=\"Section1\">\
                    <p>各单位：</p><p>现将有关事项通知如下。</p></div></body></html>";
        let (gbk, _, _) = encoding_rs::GBK.encode(html);
        let bytes = archive(&gbk);
        assert!(is_mhtml(&bytes));
        let doc = extract(&bytes, &Limits::default()).unwrap();
        let body: Vec<&str> = doc.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(body, ["各单位：", "现将有关事项通知如下。"]);
        assert_eq!(doc.encoding.map(|e| e.name), Some("GBK".to_string()));
    }

    #[test]
    fn only_mime_messages_with_a_page_are_archives() {
        assert!(!is_mhtml(b"<html><body>MIME-Version: 1.0</body></html>"));
        assert!(!is_mhtml(
            b"MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nhi"
        ));
        assert!(!is_mhtml(
            b"Subject: x\r\n\r\nMIME-Version: 1.0\r\nContent-Type: text/html"
        ));
        let no_page = b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=b\r\n\r\n\
                        --b\r\nContent-Type: image/png\r\n\r\nxx\r\n--b--\r\n";
        assert!(is_mhtml(no_page));
        assert_eq!(
            extract(no_page, &Limits::default()).unwrap_err().kind(),
            "malformed"
        );
    }
}
