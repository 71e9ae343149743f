//! `fonts`: the faces in use and which languages' letters each covers.

use std::process::ExitCode;

use pressroom::project::Project;

use super::report::Reporter;

pub(super) fn print_fonts(project: &Project, all: bool, reporter: &Reporter) -> ExitCode {
    let (rows, diags) = match pressroom::fonts::report(project) {
        Ok(found) => found,
        Err(diags) => return reporter.finish(&diags),
    };
    let langs = project.languages();
    let width = rows.iter().map(|r| r.face.chars().count()).max().unwrap_or(4).max(4);
    print!("{:width$}", "font");
    for lang in &langs {
        print!("  {lang:<4}");
    }
    println!("  used by");
    for row in rows.iter().filter(|r| all || !r.used_by.is_empty()) {
        print!("{:width$}", row.face);
        for lang in &langs {
            let covered = row.missing.get(lang).is_none_or(Vec::is_empty);
            print!("  {:<4}", if covered { "yes" } else { "no" });
        }
        println!(
            "  {}",
            if row.used_by.is_empty() {
                "-".to_owned()
            } else {
                row.used_by.len().to_string() + " output(s)"
            }
        );
        for lang in &langs {
            if let Some(missing) = row.missing.get(lang).filter(|m| !m.is_empty()) {
                let shown: String = missing
                    .iter()
                    .take(24)
                    .collect::<Vec<_>>()
                    .iter()
                    .map(|c| format!("{c} "))
                    .collect();
                let more = if missing.len() > 24 {
                    format!("… ({} in all)", missing.len())
                } else {
                    String::new()
                };
                println!("{:width$}    {lang} lacks: {}{more}", "", shown.trim_end());
            }
        }
    }
    // Problems found while rendering (a broken translation) don't change
    // what the fonts cover: report them as the build would.
    reporter.finish(&diags)
}
