//! The man page, `man/jinjac.1`: the synopsis and every option come from the clap definitions
//! (clap_mangen), the prose sections (DESCRIPTION, CONFIGURATION, FILES with the bucket layout,
//! ENVIRONMENT, EXIT STATUS, EXAMPLES) are written here. `jinjac generate-man` prints it; a test
//! fails when the committed page differs.

use clap::CommandFactory;
use clap_mangen::Man;

use super::args::Cli;

const DESCRIPTION: &str = r#".SH DESCRIPTION
\fBjinjac\fR is a Jinja2\-compatible template engine: it renders templates exactly as Python
Jinja2 3.1 does, and it precompiles them into a directory of checksummed \fIbucket\fR files so
that an application loads compiled templates instead of parsing them at every start, or
serves them with no sources deployed at all.
.PP
\fBjinjac compile\fR compiles every template under the given paths in parallel and writes one
bucket per template plus an index. It reports every error, not just the first, and still
writes the buckets of the templates that compiled. It is incremental: a template whose bucket
was compiled from the same source under the same settings is not rewritten (not even its
modification time changes). \fBjinjac check\fR does the same work without writing, for CI.
\fBjinjac render\fR renders one template. \fBjinjac verify\fR, \fBjinjac ls\fR and
\fBjinjac clean\fR inspect and maintain a cache directory.
.PP
A bucket is used only when it was compiled by the same engine bytecode version, under the
same environment settings (the \fIfingerprint\fR: delimiters, whitespace options, newline
sequence, extensions, autoescape policy, undefined kind), for the same template name, from a
source with the same blake3 checksum, and when its own digest checks out. Anything else is a
miss, and the template is compiled again.
"#;

const SECTIONS: &str = r#".SH CONFIGURATION
Settings are read from the file given with \fB\-\-config\fR, else from \fIjinjac.toml\fR in
the current directory if present. Relative paths in it are relative to the file's directory.
Unknown keys are errors. Command\-line flags override the file.
.PP
.nf
.RS
templates = ["templates"]        # search path, in order
cache = ".jinjac\-cache"
include = ["*.html", "*.j2", "*.txt", "*.xml"]   # default: every file
exclude = []
[environment]
autoescape = ["html", "htm", "xml"]    # or true / false
trim_blocks = false
lstrip_blocks = false
keep_trailing_newline = false
newline_sequence = "\\n"
undefined = "default"          # strict, chainable, debug
block_start = "{%"             # also block_end, variable_start, variable_end,
                               # comment_start, comment_end,
                               # line_statement_prefix, line_comment_prefix
extensions = []                # "i18n", "do", "loopcontrols", "debug"
.RE
.fi
.PP
Applications read the same file with \fBEnvironment::from_config\fR, so that the command line
and the application compile under the same fingerprint.
.SH FILES
.TP
\fIjinjac.toml\fR
The configuration file (see CONFIGURATION).
.TP
\fIDIR\fB/__jinjac_\fIKEY\fB.cache\fR
One bucket per template. \fIKEY\fR is the blake3 hex digest of the template name, so the same
name maps to the same file on every machine. Written atomically (a temporary file
\fIDIR\fB/.__jinjac_*.tmp\fR in the same directory, then a rename), so concurrent readers and
writers only ever see whole buckets.
.TP
\fIDIR\fB/__jinjac_index.json\fR
The index, written last and atomically by \fBjinjac compile\fR: format, version, bytecode
version, fingerprint, and for each template its name, key, source checksum and bucket size,
sorted by name. Two compiles of the same tree produce byte\-identical directories.
.TP
\fI$XDG_CACHE_HOME/jinjac\fR
The private per\-user directory used by the library's \fBFileSystemBytecodeCache::default_dir\fR
(created with mode 0700; refused if it is a symbolic link or owned by another user).
.PP
Bucket format version 1 (all integers little\-endian; \fIN\fR is the name's length, \fIC\fR the
compressed payload's):
.PP
.nf
.RS
offset   size  field
0        8     magic "JINJACBK"
8        2     format version (1)
10       2     flags (0)
12       4     engine bytecode version
16       32    environment fingerprint (blake3)
48       32    source checksum (blake3 of the UTF\-8 source)
80       4     name length N (at most 65536)
84       N     template name, UTF\-8
84+N     8     uncompressed program length (at most 256 MiB)
92+N     8     compressed length C
100+N    C     zstd frame of the serialized program
100+N+C  32    blake3 digest of all preceding bytes
.RE
.fi
.PP
A bucket is exactly 132 + \fIN\fR + \fIC\fR bytes. Encoding is deterministic.
.SH ENVIRONMENT
.TP
\fBNO_COLOR\fR
When set and not empty, diagnostics are not colored (unless \fB\-\-color always\fR).
.TP
\fBCI\fR
When set, \fBjinjac compile\fR shows no progress bar and prints one summary line, as when
its standard error is not a terminal.
.TP
\fBXDG_CACHE_HOME\fR
Where the library's default per\-user cache directory is created.
.SH "EXIT STATUS"
.TP
\fB0\fR
Success.
.TP
\fB1\fR
One or more templates failed (syntax, compile or render error, template not found), or
\fBjinjac verify\fR found a bad or stale bucket.
.TP
\fB2\fR
Usage, configuration or I/O error: a bad flag, an unreadable or invalid configuration file,
a cache directory that is not writable, an unreadable template file.
.SH EXAMPLES
Compile the templates of the current project (reads \fIjinjac.toml\fR) and list the cache:
.PP
.nf
.RS
jinjac compile
jinjac ls .jinjac\-cache
.RE
.fi
.PP
A Makefile rule that recompiles whenever a template changes (only changed templates are
rewritten):
.PP
.nf
.RS
\&.jinjac\-cache/__jinjac_index.json: jinjac.toml $(shell find templates \-type f)
	jinjac compile \-q \-\-prune
.RE
.fi
.PP
A CI step that fails the build on any template error and reports them all as JSON:
.PP
.nf
.RS
\- run: jinjac check \-\-message\-format json > template\-errors.jsonl
.RE
.fi
.PP
Warm a cache before deploying, check it, and ship only the cache (the application serves the
templates from it with a precompiled loader, without their sources):
.PP
.nf
.RS
jinjac compile \-\-prune \-o build/templates\-cache
jinjac verify build/templates\-cache \-t templates
rsync \-a build/templates\-cache/ server:/srv/app/templates\-cache/
.RE
.fi
.PP
Render one template with a context from a file and a variable from the command line:
.PP
.nf
.RS
jinjac render pages/index.html \-t templates \-c context.json \-D title='"Home"'
.RE
.fi
.SH "SEE ALSO"
The Jinja2 documentation: https://jinja.palletsprojects.com/
"#;

/// Turn the section headers of a subcommand's rendering into sub-headings.
fn demote(roff: &str, skip_first_header: bool) -> String {
    let mut out = String::new();
    let mut first = true;
    for line in roff.lines() {
        if let Some(title) = line.strip_prefix(".SH ") {
            if first && skip_first_header {
                first = false;
                continue;
            }
            first = false;
            let title = title.trim_matches('"');
            let mut chars = title.chars();
            let pretty: String = match chars.next() {
                Some(c) => c.to_uppercase().chain(chars.flat_map(char::to_lowercase)).collect(),
                None => String::new(),
            };
            out.push_str(&format!(".PP\n\\fB{}:\\fR\n", pretty));
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// clap_mangen starts every rendered piece with the same two `Aq` string definitions; keep
/// only the first pair.
fn strip_repeated_preamble(page: &str) -> String {
    let mut seen = false;
    let mut out = String::with_capacity(page.len());
    let mut lines = page.lines().peekable();
    while let Some(line) = lines.next() {
        if line.starts_with(".ie \\n(.g .ds Aq") && lines.peek().is_some_and(|l| l.starts_with(".el .ds Aq"))
        {
            lines.next();
            if !seen {
                out.push_str(line);
                out.push_str("\n.el .ds Aq '\n");
            }
            seen = true;
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn render_to_string(f: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>) -> std::io::Result<String> {
    let mut buf = Vec::new();
    f(&mut buf)?;
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

/// The whole page.
pub fn generate() -> std::io::Result<Vec<u8>> {
    let mut cmd = Cli::command();
    cmd.build();
    let man = Man::new(cmd.clone());
    let mut page = String::new();
    page.push_str(".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n");
    page.push_str(&format!(".TH JINJAC 1 \"\" \"jinjac {}\" \"jinjac manual\"\n", env!("CARGO_PKG_VERSION")));
    page.push_str(&render_to_string(|b| man.render_name_section(b))?);
    page.push_str(&render_to_string(|b| man.render_synopsis_section(b))?);
    page.push_str(DESCRIPTION);
    page.push_str(&render_to_string(|b| man.render_options_section(b))?);
    page.push_str(".SH COMMANDS\n");
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = format!("jinjac {}", sub.get_name());
        page.push_str(&format!(".SS \"{}\"\n", name));
        if let Some(about) = sub.get_long_about().or_else(|| sub.get_about()) {
            page.push_str(&format!("{}\n", about.to_string().replace('-', "\\-")));
        }
        page.push_str(".PP\n");
        let sub_man = Man::new(sub.clone().bin_name(name.clone()));
        page.push_str(&demote(&render_to_string(|b| sub_man.render_synopsis_section(b))?, true));
        page.push_str(&demote(&render_to_string(|b| sub_man.render_options_section(b))?, false));
    }
    page.push_str(SECTIONS);
    page.push_str(&render_to_string(|b| man.render_version_section(b))?);
    Ok(strip_repeated_preamble(&page).into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed page is what the clap definitions generate. To update it:
    /// `cargo run -- generate-man > man/jinjac.1`.
    #[test]
    fn committed_man_page_is_current() {
        let generated = generate().unwrap();
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/man/jinjac.1");
        if std::env::var_os("JINJAC_UPDATE_MAN").is_some() {
            std::fs::write(path, &generated).unwrap();
        }
        let committed = std::fs::read(path).unwrap_or_default();
        assert!(
            committed == generated,
            "man/jinjac.1 is out of date: run `cargo run -- generate-man > man/jinjac.1` \
             (or JINJAC_UPDATE_MAN=1 cargo test committed_man_page)"
        );
    }

    #[test]
    fn page_has_every_section_and_command() {
        let page = String::from_utf8(generate().unwrap()).unwrap();
        for s in [
            "NAME",
            "SYNOPSIS",
            "DESCRIPTION",
            "OPTIONS",
            "COMMANDS",
            "FILES",
            "ENVIRONMENT",
            "EXIT STATUS",
            "EXAMPLES",
        ] {
            assert!(page.contains(&format!(".SH {}", s)) || page.contains(&format!(".SH \"{}\"", s)), "{s}");
        }
        for c in ["compile", "check", "render", "verify", "ls", "clean"] {
            assert!(page.contains(&format!(".SS \"jinjac {}\"", c)), "{c}");
        }
        assert!(!page.contains("generate-man"));
    }
}
