//! Bytes → text for text formats: BOM, then a declared charset the bytes agree with, then
//! sniffing.
