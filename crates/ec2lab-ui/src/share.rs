//! Share links: a whole lab in the URL's fragment, so an instructor can send
//! a prepared lab as a link that works offline and reaches no server (the
//! fragment never leaves the browser).
//!
//! ```text
//! #lab2=<base64url of the saved lab compressed with raw DEFLATE>
//! #lab=<base64url of the saved lab>          (version 1 links, still read)
//! ```
//!
//! The saved lab inside carries its own version line ([`crate::saved`]).
//! Compression is the browser's own (`CompressionStream`), so it costs the
//! page no code; the parsing here is pure and tested natively. A hostile
//! link is refused with a message: damaged base64, data that does not
//! inflate, or a lab that would inflate past [`MAX_LAB_BYTES`].

use base64::Engine as _;

/// The fragment of a compressed link.
pub const PREFIX: &str = "#lab2=";
/// The fragment of a first-version link (plain base64url).
pub const PREFIX_V1: &str = "#lab=";
/// The most a link's lab may inflate to: far more than any lab a class
/// needs, far less than would hurt the tab.
pub const MAX_LAB_BYTES: usize = 4 << 20;

/// What a fragment carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Payload {
    /// The saved lab's text (a version 1 link).
    Text(String),
    /// The saved lab, compressed (raw DEFLATE).
    Deflated(Vec<u8>),
}

/// Whether a fragment carries a lab at all.
pub fn is_link(fragment: &str) -> bool {
    fragment.starts_with(PREFIX) || fragment.starts_with(PREFIX_V1)
}

/// A fragment's payload, or what is wrong with it.
pub fn payload(fragment: &str) -> Result<Payload, String> {
    let (data, compressed) = if let Some(data) = fragment.strip_prefix(PREFIX) {
        (data, true)
    } else if let Some(data) = fragment.strip_prefix(PREFIX_V1) {
        (data, false)
    } else {
        return Err("the link carries no lab".into());
    };
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(data.trim_end_matches('='))
        .map_err(|e| format!("the link is damaged ({e})"))?;
    if compressed {
        Ok(Payload::Deflated(bytes))
    } else {
        String::from_utf8(bytes)
            .map(Payload::Text)
            .map_err(|_| "the link is damaged (not text)".to_owned())
    }
}

/// The fragment for compressed bytes.
pub fn fragment(deflated: &[u8]) -> String {
    format!(
        "{PREFIX}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(deflated)
    )
}

#[cfg(target_arch = "wasm32")]
mod browser {
    use js_sys::{Promise, Uint8Array};
    use wasm_bindgen::prelude::wasm_bindgen;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{Blob, ReadableStream, ReadableStreamDefaultReader, ReadableWritablePair};

    use super::MAX_LAB_BYTES;

    // web-sys has these only behind `web_sys_unstable_apis`; both are a
    // `{ readable, writable }` pair made from a format name.
    #[wasm_bindgen]
    extern "C" {
        type CompressionStream;
        #[wasm_bindgen(constructor, catch)]
        fn new(format: &str) -> Result<CompressionStream, JsValue>;
        type DecompressionStream;
        #[wasm_bindgen(constructor, catch)]
        fn new(format: &str) -> Result<DecompressionStream, JsValue>;
    }

    fn blob_of(bytes: &[u8]) -> Result<Blob, String> {
        let parts = js_sys::Array::new();
        parts.push(&Uint8Array::from(bytes));
        Blob::new_with_u8_array_sequence(&parts)
            .map_err(|_| "the browser cannot make a blob".into())
    }

    /// Reads a stream to its end, refusing more than `limit` bytes.
    async fn read_all(stream: ReadableStream, limit: usize) -> Result<Vec<u8>, String> {
        let reader: ReadableStreamDefaultReader = stream
            .get_reader()
            .dyn_into()
            .map_err(|_| "the browser cannot read the stream".to_owned())?;
        let mut out = Vec::new();
        loop {
            let chunk = JsFuture::from(reader.read())
                .await
                .map_err(|_| "the link is damaged (it does not inflate)".to_owned())?;
            let done = js_sys::Reflect::get(&chunk, &JsValue::from_str("done"))
                .ok()
                .and_then(|d| d.as_bool())
                .unwrap_or(true);
            if done {
                return Ok(out);
            }
            let value = js_sys::Reflect::get(&chunk, &JsValue::from_str("value"))
                .map_err(|_| "the browser returned no data".to_owned())?;
            let bytes = Uint8Array::new(&value);
            out.extend(bytes.to_vec());
            if out.len() > limit {
                let _: Promise = reader.cancel();
                return Err(format!(
                    "the link's lab is larger than {} MB: it is not a lab this page opens",
                    limit >> 20
                ));
            }
        }
    }

    /// Compresses text with raw DEFLATE.
    pub async fn compress(text: &str) -> Result<Vec<u8>, String> {
        let stream = CompressionStream::new("deflate-raw")
            .map_err(|_| "this browser cannot compress (no CompressionStream)".to_owned())?;
        let pair: &ReadableWritablePair = stream.unchecked_ref();
        let out = blob_of(text.as_bytes())?.stream().pipe_through(pair);
        read_all(out, usize::MAX).await
    }

    /// Inflates raw DEFLATE into text, at most [`MAX_LAB_BYTES`].
    pub async fn decompress(bytes: &[u8]) -> Result<String, String> {
        let stream = DecompressionStream::new("deflate-raw")
            .map_err(|_| "this browser cannot open compressed links".to_owned())?;
        let pair: &ReadableWritablePair = stream.unchecked_ref();
        let out = blob_of(bytes)?.stream().pipe_through(pair);
        let bytes = read_all(out, MAX_LAB_BYTES).await?;
        String::from_utf8(bytes).map_err(|_| "the link is damaged (not text)".to_owned())
    }
}

#[cfg(target_arch = "wasm32")]
pub use browser::{compress, decompress};

/// Outside a browser there is no `CompressionStream`.
#[cfg(not(target_arch = "wasm32"))]
#[allow(clippy::unused_async)]
pub async fn compress(_text: &str) -> Result<Vec<u8>, String> {
    Err("compression needs a browser".into())
}

/// Outside a browser there is no `DecompressionStream`.
#[cfg(not(target_arch = "wasm32"))]
#[allow(clippy::unused_async)]
pub async fn decompress(_bytes: &[u8]) -> Result<String, String> {
    Err("compressed links need a browser".into())
}
