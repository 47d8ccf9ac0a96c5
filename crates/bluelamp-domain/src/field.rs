//! Field-level validation errors: every bad input names its field, so that the API can
//! answer `422` with a JSON Pointer per field and the pages can mark each input.

use std::fmt;

/// One invalid field: a JSON Pointer (RFC 6901) to it and a message for the person who
/// typed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// JSON Pointer to the field, such as `/date_of_birth` or `/aliases/1/surname`.
    pub field: String,
    /// What is wrong, in plain English.
    pub message: String,
}

/// Every invalid field of one input. Never empty.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct Invalid(pub Vec<FieldError>);

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect();
        f.write_str(&parts.join("; "))
    }
}

impl Invalid {
    /// One invalid field.
    pub fn one(field: impl Into<String>, message: impl Into<String>) -> Self {
        Invalid(vec![FieldError {
            field: field.into(),
            message: message.into(),
        }])
    }
}

/// Collects field errors while an input is parsed, so that all of them are reported at once.
#[derive(Debug, Default)]
pub struct Fields {
    errors: Vec<FieldError>,
}

impl Fields {
    /// A new, empty collector.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records an error on `field`.
    pub fn error(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.errors.push(FieldError {
            field: field.into(),
            message: message.into(),
        });
    }

    /// Keeps the value of `result`, or records its error on `field` and gives `None`.
    pub fn check<T, E: fmt::Display>(&mut self, field: &str, result: Result<T, E>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.error(field, e.to_string());
                None
            }
        }
    }

    /// A required, trimmed, non-empty text of at most `max` characters.
    pub fn text(&mut self, field: &str, value: &str, max: usize) -> Option<String> {
        let v = value.trim();
        if v.is_empty() {
            self.error(field, "must not be blank");
            None
        } else if v.chars().count() > max {
            self.error(field, format!("must be at most {max} characters"));
            None
        } else if v.chars().any(|c| c.is_control()) {
            self.error(field, "must not contain control characters");
            None
        } else {
            Some(v.to_string())
        }
    }

    /// A required, trimmed, non-empty text of several lines (a rationale, a reason): as
    /// [`Fields::text`], but line breaks and tabs are kept, written `\n` whatever the
    /// browser sent (`\r\n`).
    pub fn prose(&mut self, field: &str, value: &str, max: usize) -> Option<String> {
        let v = value.trim().replace("\r\n", "\n").replace('\r', "\n");
        if v.is_empty() {
            self.error(field, "must not be blank");
            None
        } else if v.chars().count() > max {
            self.error(field, format!("must be at most {max} characters"));
            None
        } else if v.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
            self.error(field, "must not contain control characters");
            None
        } else {
            Some(v)
        }
    }

    /// An optional text of several lines: blank becomes `None`; otherwise as
    /// [`Fields::prose`].
    pub fn optional_prose(
        &mut self,
        field: &str,
        value: Option<&str>,
        max: usize,
    ) -> Option<String> {
        match value.map(str::trim) {
            None | Some("") => None,
            Some(v) => self.prose(field, v, max),
        }
    }

    /// An optional text: blank becomes `None`; otherwise as [`Fields::text`].
    pub fn optional_text(
        &mut self,
        field: &str,
        value: Option<&str>,
        max: usize,
    ) -> Option<String> {
        match value.map(str::trim) {
            None | Some("") => None,
            Some(v) => self.text(field, v, max),
        }
    }

    /// An optional value read with `parse`: blank is `Some(None)`, a value that parses is
    /// `Some(Some(v))`, and one that does not records its error on `field` and gives `None`.
    pub fn optional_parsed<T, E: fmt::Display>(
        &mut self,
        field: &str,
        raw: Option<&str>,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Option<Option<T>> {
        match raw.map(str::trim) {
            None | Some("") => Some(None),
            Some(r) => self.check(field, parse(r)).map(Some),
        }
    }

    /// Finishes: `Ok(value)` when no error was recorded, or every error.
    ///
    /// # Errors
    /// [`Invalid`] with each recorded error, in the order recorded.
    pub fn finish<T>(self, value: impl FnOnce() -> Option<T>) -> Result<T, Invalid> {
        if self.errors.is_empty() {
            value().ok_or_else(|| Invalid::one("", "is invalid"))
        } else {
            Err(Invalid(self.errors))
        }
    }
}
