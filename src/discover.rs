//! Walk the inputs in sorted order and sniff each file's format from its bytes.
