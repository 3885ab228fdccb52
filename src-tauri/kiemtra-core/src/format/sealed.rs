//! The protected exchange file: an age file (the `age` crate, X25519 recipients, no plugins)
//! whose plaintext is the exchange zip of [`crate::format::exchange_file`]. age gives secrecy
//! and integrity (a header MAC, ChaCha20-Poly1305 in 64 KiB chunks, truncation detected); who
//! made the file and what it may change come from the signatures inside, never from the fact
//! that it decrypted (anyone who knows a recipient can encrypt to it).
//!
//! The header is bounded before any cryptography: a file whose header is longer than
//! [`MAX_HEADER`], has more than [`MAX_STANZAS`] recipient entries, or an entry of another
//! kind than X25519 (a passphrase costs a second to try; plugins run programs) is refused on
//! its first bytes.

use std::io::{BufRead, Read, Seek, Write};
use std::str::FromStr;

use age::secrecy::ExposeSecret;

use crate::error::{Refusal, Result};

pub const AGE_MAGIC: &[u8] = b"age-encryption.org/v1\n";
/// One recipient per laptop of a roster at most, plus the period's.
pub const MAX_STANZAS: usize = crate::domain::trust::MAX_LAPTOPS + 4;
/// The header's bound: an X25519 entry is about 100 bytes.
pub const MAX_HEADER: usize = 16 << 10;

/// What the first bytes of a file say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An age file (a protected exchange file).
    Sealed,
    /// A zip: an exchange file of the unprotected format (before the team keys).
    Plain,
    Unknown,
}

pub fn kind(first: &[u8]) -> Kind {
    if first.starts_with(AGE_MAGIC) {
        Kind::Sealed
    } else if first.starts_with(b"PK\x03\x04") || first.starts_with(b"PK\x05\x06") {
        Kind::Plain
    } else {
        Kind::Unknown
    }
}

/// A laptop's or a period's secret key (age X25519).
pub struct Identity(age::x25519::Identity);
/// Its public half (`age1…`).
#[derive(Clone)]
pub struct Recipient(age::x25519::Recipient);

impl Identity {
    /// A new secret key (age draws it from the system's random source).
    pub fn generate() -> Identity {
        Identity(age::x25519::Identity::generate())
    }
    pub fn parse(text: &str) -> Option<Identity> {
        age::x25519::Identity::from_str(text.trim()).ok().map(Identity)
    }
    /// Its stored form (`AGE-SECRET-KEY-1…`).
    pub fn to_text(&self) -> String {
        self.0.to_string().expose_secret().to_string()
    }
    pub fn recipient(&self) -> Recipient {
        Recipient(self.0.to_public())
    }
}

impl Recipient {
    pub fn parse(text: &str) -> Option<Recipient> {
        age::x25519::Recipient::from_str(text.trim()).ok().map(Recipient)
    }
    pub fn to_text(&self) -> String {
        self.0.to_string()
    }
}

/// Why a protected file does not open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenError {
    /// Not an age file of the kind this app writes, or a header past its bounds.
    Malformed,
    /// No key of this laptop opens it (another team's, or sealed for someone else).
    NotForUs,
    /// The header's MAC does not hold: changed after it was made.
    Altered,
}

/// Check a protected file's header on its first bytes (at most [`MAX_HEADER`] of them),
/// before any key is tried: the number of X25519 entries.
pub fn check_header(first: &[u8]) -> std::result::Result<usize, OpenError> {
    if !first.starts_with(AGE_MAGIC) {
        return Err(OpenError::Malformed);
    }
    let head = &first[..first.len().min(MAX_HEADER)];
    let mut stanzas = 0;
    let mut grease = 0;
    let mut pos = AGE_MAGIC.len();
    while pos < head.len() {
        let end = match head[pos..].iter().position(|&b| b == b'\n') {
            Some(e) => pos + e,
            None => return Err(OpenError::Malformed),
        };
        let line = &head[pos..end];
        if line.starts_with(b"--- ") {
            return if stanzas == 0 {
                Err(OpenError::Malformed)
            } else {
                Ok(stanzas)
            };
        }
        if line.starts_with(b"-> X25519 ") {
            stanzas += 1;
            if stanzas > MAX_STANZAS {
                return Err(OpenError::Malformed);
            }
        } else if line.starts_with(b"-> ") {
            // age adds one entry of a random kind ("…-grease") so that readers stay tolerant;
            // anything else (a passphrase, a plugin) is not this app's.
            let tag = line[3..].split(|&b| b == b' ').next().unwrap_or_default();
            grease += 1;
            if grease > 1 || !tag.ends_with(b"-grease") {
                return Err(OpenError::Malformed);
            }
        }
        pos = end + 1;
    }
    Err(OpenError::Malformed)
}

/// Encrypt `plain` to `recipients` into `out`.
pub fn seal<W: Write>(plain: &[u8], recipients: &[Recipient], out: W) -> Result<W> {
    let failed = || {
        Refusal::WriteFailed
            .err("Không ghi được tệp trao đổi (ổ đĩa đầy hoặc không ghi được). Hãy chọn nơi khác rồi thử lại.")
    };
    let enc = age::Encryptor::with_recipients(recipients.iter().map(|r| &r.0 as &dyn age::Recipient))
        .map_err(|_| Refusal::WriteFailed.err("Không mã hóa được tệp trao đổi (khóa người nhận không hợp lệ)."))?;
    let mut w = enc.wrap_output(out).map_err(|_| failed())?;
    w.write_all(plain).map_err(|_| failed())?;
    w.finish().map_err(|_| failed())
}

/// The plaintext of a protected file, read (and authenticated) chunk by chunk.
pub type Plaintext<R> = age::stream::StreamReader<R>;

/// Open a protected file with any of `identities`: a reader of its plaintext that decrypts
/// (and authenticates) each chunk as it is read, and seeks.
pub fn open<R: BufRead + Seek>(mut input: R, identities: &[&Identity]) -> std::result::Result<Plaintext<R>, OpenError> {
    let mut first = vec![0u8; MAX_HEADER];
    let n = read_up_to(&mut input, &mut first).map_err(|_| OpenError::Malformed)?;
    check_header(&first[..n])?;
    input
        .seek(std::io::SeekFrom::Start(0))
        .map_err(|_| OpenError::Malformed)?;
    let d = age::Decryptor::new_buffered(input).map_err(|_| OpenError::Malformed)?;
    if d.is_scrypt() {
        return Err(OpenError::Malformed);
    }
    d.decrypt(identities.iter().map(|i| &i.0 as &dyn age::Identity))
        .map_err(|e| match e {
            age::DecryptError::NoMatchingKeys => OpenError::NotForUs,
            age::DecryptError::InvalidHeader | age::DecryptError::UnknownFormat => OpenError::Malformed,
            _ => OpenError::Altered,
        })
}

/// A small secret (a key period's) sealed to one recipient, as bytes.
pub fn seal_small(secret: &[u8], to: &Recipient) -> Vec<u8> {
    seal(secret, std::slice::from_ref(to), Vec::new()).expect("sealing in memory")
}

/// The secret of [`seal_small`], if `identity` opens it.
pub fn open_small(sealed: &[u8], identity: &Identity) -> Option<Vec<u8>> {
    if sealed.len() > 4096 {
        return None;
    }
    let mut r = open(std::io::Cursor::new(sealed), &[identity]).ok()?;
    let mut out = Vec::new();
    r.read_to_end(&mut out).ok()?;
    Some(out)
}

fn read_up_to<R: Read>(r: &mut R, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    #[test]
    fn sealed_bytes_open_with_the_key_only() {
        let a = Identity::generate();
        let b = Identity::generate();
        let file = seal(b"xin chao", &[a.recipient()], Vec::new()).unwrap();
        assert_eq!(kind(&file), Kind::Sealed);
        assert_eq!(check_header(&file), Ok(1));
        let mut r = open(Cursor::new(&file), &[&b, &a]).unwrap();
        let mut out = Vec::new();
        r.read_to_end(&mut out).unwrap();
        assert_eq!(out, b"xin chao");
        assert_eq!(open(Cursor::new(&file), &[&b]).err(), Some(OpenError::NotForUs));
    }

    #[test]
    fn a_changed_byte_is_noticed() {
        let a = Identity::generate();
        let plain = vec![7u8; 200_000];
        let mut file = seal(&plain, &[a.recipient()], Vec::new()).unwrap();
        let mid = file.len() / 2;
        file[mid] ^= 1;
        let r = open(Cursor::new(&file), &[&a]);
        let mut out = Vec::new();
        assert!(r.unwrap().read_to_end(&mut out).is_err());
        // In the header: its MAC no longer holds.
        let mut file = seal(&plain, &[a.recipient()], Vec::new()).unwrap();
        let mac = file.windows(4).position(|w| w == b"--- ").unwrap() + 6;
        file[mac] = if file[mac] == b'A' { b'B' } else { b'A' };
        assert_eq!(open(Cursor::new(&file), &[&a]).err(), Some(OpenError::Altered));
    }

    #[test]
    fn every_changed_byte_is_refused_never_a_panic() {
        let a = Identity::generate();
        let file = seal(b"Bien ban kiem tra xa Ha Lang", &[a.recipient()], Vec::new()).unwrap();
        for i in 0..file.len() {
            for bit in [0x01u8, 0x80] {
                let mut b = file.clone();
                b[i] ^= bit;
                let mut out = Vec::new();
                let read = open(Cursor::new(&b), &[&a]).map(|mut r| r.read_to_end(&mut out));
                assert!(!matches!(read, Ok(Ok(_))), "byte {i} changed, still opened");
            }
        }
        for n in 0..file.len() {
            let mut out = Vec::new();
            let read = open(Cursor::new(&file[..n]), &[&a]).map(|mut r| r.read_to_end(&mut out));
            assert!(!matches!(read, Ok(Ok(_))), "cut at {n}, still opened");
        }
    }

    #[test]
    fn an_oversized_header_is_refused_on_its_first_bytes() {
        let mut head = AGE_MAGIC.to_vec();
        for _ in 0..4000 {
            head.extend_from_slice(
                b"-> X25519 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n",
            );
        }
        head.extend_from_slice(b"--- AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n");
        assert_eq!(check_header(&head), Err(OpenError::Malformed));
        // Refused before any key is tried (the age parser is never reached).
        assert_eq!(
            open(Cursor::new(&head), &[&Identity::generate()]).err(),
            Some(OpenError::Malformed)
        );
        let scrypt = b"age-encryption.org/v1\n-> scrypt AAAA 18\nAAAA\n--- AAAA\n";
        assert_eq!(check_header(scrypt), Err(OpenError::Malformed));
    }

    #[test]
    fn small_secrets_round_trip() {
        let a = Identity::generate();
        let s = seal_small(b"AGE-SECRET-KEY-1XYZ", &a.recipient());
        assert_eq!(open_small(&s, &a).unwrap(), b"AGE-SECRET-KEY-1XYZ");
        assert!(open_small(&s, &Identity::generate()).is_none());
        let i = Identity::parse(&a.to_text()).unwrap();
        assert_eq!(i.recipient().to_text(), a.recipient().to_text());
    }
}
