//! CSV records (RFC 4180) of the small reference tables compiled into the binary: the Home
//! Office offence classification here, the synthetic force's geography and calibration in
//! `bluelamp-synth`. They have one record per line, so a line reader with quoting is all
//! that is needed.

/// The records of a CSV text after its header line, each as its fields. Blank lines are
/// skipped.
pub fn records(text: &str) -> impl Iterator<Item = Vec<String>> + '_ {
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(fields)
}

/// Splits one CSV line into fields: a field in double quotes may hold commas, and `""`
/// inside it stands for one quote.
pub fn fields(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.trim_end_matches('\r').chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(std::mem::take(&mut field)),
            (c, _) => field.push(c),
        }
    }
    out.push(field);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_fields_keep_their_commas_and_quotes() {
        assert_eq!(
            fields(r#"9A,"Public fear, alarm or distress",Public Order"#),
            ["9A", "Public fear, alarm or distress", "Public Order"]
        );
        assert_eq!(
            fields(r#"a,"say ""hi""",,b"#),
            ["a", r#"say "hi""#, "", "b"]
        );
        assert_eq!(records("h1,h2\n1,2\n\n3,4\r\n").count(), 2);
    }
}
