//! `Transcript`: what a program printed, as the lines a checker reads.

/// One line that a checker reads: its 1-based number in the original output and its
/// text with trailing whitespace removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The line's number in the program's output, counting blank lines, from 1.
    pub number: usize,
    /// The line's text without trailing whitespace (so `\r\n` endings are accepted).
    pub text: String,
}

/// A program's captured standard output, ready for checking.
///
/// Contracts ignore blank lines and trailing whitespace, so those are dropped here,
/// once, while every kept line remembers its original line number for reports.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Transcript {
    lines: Vec<Line>,
    /// What the program wrote on stderr, line by line, when a run's judge gave it.
    stderr: Vec<String>,
}

impl Transcript {
    /// Splits `output` into lines, trimming trailing whitespace and skipping blanks.
    ///
    /// ```
    /// let t = contracts::Transcript::parse("a  \r\n\nb\n");
    /// let kept: Vec<_> = t.lines().iter().map(|l| (l.number, l.text.as_str())).collect();
    /// assert_eq!(kept, [(1, "a"), (3, "b")]);
    ///
    /// let t = contracts::Transcript::parse("\u{feff}x\rdone\n");
    /// let kept: Vec<_> = t.lines().iter().map(|l| (l.number, l.text.as_str())).collect();
    /// assert_eq!(kept, [(1, "x"), (1, "done")]);
    /// ```
    ///
    /// A byte-order mark is dropped, and a carriage return inside a line (a
    /// progress line a terminal would overwrite) ends a piece of text the way a
    /// newline does; the pieces keep their line's number.
    pub fn parse(output: &str) -> Self {
        let lines = output
            .lines()
            .enumerate()
            .flat_map(|(i, text)| {
                text.split('\r').filter_map(move |piece| {
                    let piece = piece.trim_start_matches('\u{feff}').trim_end();
                    (!piece.is_empty()).then(|| Line {
                        number: i + 1,
                        text: piece.to_owned(),
                    })
                })
            })
            .collect();
        Self {
            lines,
            stderr: Vec::new(),
        }
    }

    /// Like [`parse`](Self::parse) for raw bytes: bytes that are not UTF-8 are shown
    /// as U+FFFD instead of making the output unreadable.
    pub fn from_bytes(output: &[u8]) -> Self {
        Self::parse(&String::from_utf8_lossy(output))
    }

    /// The transcript of the first `count` lines only.
    pub(crate) fn head(&self, count: usize) -> Self {
        Self {
            lines: self.lines[..count.min(self.lines.len())].to_vec(),
            stderr: self.stderr.clone(),
        }
    }

    /// The transcript, with what the program wrote on stderr beside it: where a
    /// thread or process that died of an exception says so.
    pub fn with_stderr(mut self, stderr: &[u8]) -> Self {
        self.stderr = String::from_utf8_lossy(stderr)
            .lines()
            .map(str::to_owned)
            .collect();
        self
    }

    /// The lines the program wrote on stderr (none unless [`with_stderr`](Self::with_stderr) gave them).
    pub fn stderr(&self) -> &[String] {
        &self.stderr
    }

    /// The non-blank lines, in order.
    pub fn lines(&self) -> &[Line] {
        &self.lines
    }
}
