//! Signing and verifying with throwaway test keys (tests/keys/, made by
//! tests/keys/make.sh): sign, verify, tamper, append, and every key error.

use crate::support::{Project, REFERENCE, repo};

/// The shipped project with the test keys in `keys/` and this `[signing]`.
fn keys_project(signing: &str) -> Project {
    let project = Project::reference();
    std::fs::create_dir_all(project.file("keys")).unwrap();
    for entry in std::fs::read_dir(repo().join("tests/keys")).unwrap().flatten() {
        std::fs::copy(entry.path(), project.file("keys").join(entry.file_name())).unwrap();
    }
    let config = project.read("pressroom.toml");
    project
        .write("pressroom.toml", &format!("{config}\n[signing]\nsignatory = \"press\"\n{signing}"));
    project
}

/// Signing with the test CA's chain and `extra` naming the key.
pub fn signing_project(extra: &str) -> Project {
    keys_project(&format!("chain = [\"keys/ca.pem\"]\n{extra}"))
}

pub const GOOD: &str = "certificate = \"keys/signer.pem\"\nkey = \"keys/signer.key.pem\"\n";

fn verify(project: &Project, pdf: &str) -> crate::support::Run {
    project.run(&["verify", pdf, "--trust", project.file("keys/ca.pem").to_str().unwrap()])
}

#[test]
fn build_sign_then_verify_and_catch_tampering() {
    let project = signing_project(GOOD);
    project.run(&["build", "--sign"]).success();
    let pdf = project.file(&format!("out/{REFERENCE}.ru.pdf"));
    let pdf_arg = pdf.to_str().unwrap();
    let run = verify(&project, pdf_arg);
    run.success();
    let out = run.stdout();
    for line in [
        "Mahbuba Abdullaeva (TEST)",
        "digest matches:     yes",
        "signature valid:    yes",
        "covers whole file:  yes",
        "chain trusted:      yes",
    ] {
        assert!(out.contains(line), "`{line}` missing:\n{out}");
    }
    // The signed PDF still reads as the release, text intact, and says who
    // signed it in its language.
    let text = project.pdf(REFERENCE, "ru").text();
    assert!(text.contains("В Душанбе состоялся"));
    assert!(text.contains("Подписано электронной подписью: Махбуба Абдуллаева"), "{text}");
    let text = project.pdf(REFERENCE, "tg").text();
    assert!(text.contains("Бо имзои электронӣ тасдиқ шудааст: Маҳбуба Абдуллаева"), "{text}");
    // The signing date as Tajik writes it: the month in lower case, with the izofa.
    let months = [
        "январи ",
        "феврали ",
        "марти ",
        "апрели ",
        "майи ",
        "июни ",
        "июли ",
        "августи ",
        "сентябри ",
        "октябри ",
        "ноябри ",
        "декабри ",
    ];
    let line = &text[text.find("тасдиқ шудааст").unwrap()..];
    assert!(months.iter().any(|m| line.contains(m)), "{line}");

    // One byte flipped inside the signed range: the digest no longer matches.
    let good = std::fs::read(&pdf).unwrap();
    let mut bad = good.clone();
    let at = good.windows(6).position(|w| w == b"/Title").unwrap();
    bad[at + 1] = b'X';
    std::fs::write(&pdf, &bad).unwrap();
    let run = verify(&project, pdf_arg);
    run.failure();
    assert!(run.stdout().contains("digest matches:     NO"), "{}", run.stdout());

    // An update appended after signing: reported, and not accepted.
    let mut appended = good.clone();
    appended.extend_from_slice(b"\n1 0 obj\n<< /Changed true >>\nendobj\n");
    std::fs::write(&pdf, &appended).unwrap();
    let run = verify(&project, pdf_arg);
    run.failure();
    assert!(run.stdout().contains("covers whole file:  NO"), "{}", run.stdout());
    assert!(run.stdout().contains("page content: NOT AS SIGNED"), "{}", run.stdout());

    // An untrusted anchor: the chain is not trusted.
    std::fs::write(&pdf, &good).unwrap();
    let run = project.run(&[
        "verify",
        pdf_arg,
        "--trust",
        project.file("keys/expired.pem").to_str().unwrap(),
    ]);
    run.failure();
    assert!(run.stdout().contains("chain trusted:      NO"), "{}", run.stdout());
}

#[test]
fn unsigned_pdfs_fail_verification() {
    let project = signing_project(GOOD);
    project.run(&["build", REFERENCE, "--lang", "en"]).success();
    let run = verify(&project, project.file(&format!("out/{REFERENCE}.en.pdf")).to_str().unwrap());
    run.failure();
    assert!(run.stdout().contains("not signed"), "{}", run.stdout());
}

#[test]
fn sign_signs_existing_pdfs_in_place() {
    let project = signing_project(GOOD);
    project.run(&["build", REFERENCE, "--lang", "tg"]).success();
    let pdf = project.file(&format!("out/{REFERENCE}.tg.pdf"));
    let unsigned = std::fs::read(&pdf).unwrap();
    project.run(&["sign", pdf.to_str().unwrap()]).success();
    let signed = std::fs::read(&pdf).unwrap();
    assert!(signed.starts_with(&unsigned), "signing appends; it never rewrites the PDF");
    verify(&project, pdf.to_str().unwrap()).success();
}

#[test]
fn a_draft_is_never_signed_whatever_it_is_called() {
    let project = signing_project(GOOD);
    project.run(&["build", REFERENCE, "--lang", "ru", "--draft"]).success();
    let draft = project.draft(REFERENCE, "ru");
    let keywords = draft.info("Keywords").unwrap_or_default();
    assert!(keywords.contains("pressroom:draft"), "{keywords}");
    // Renamed to look like a final: recognised from the PDF, not its name.
    let disguised = project.file(&format!("out/{REFERENCE}.ru.pdf"));
    std::fs::create_dir_all(disguised.parent().unwrap()).unwrap();
    std::fs::copy(project.file(&crate::support::draft_path(REFERENCE, "ru")), &disguised).unwrap();
    let before = std::fs::read(&disguised).unwrap();
    let run = project.run(&["sign", disguised.to_str().unwrap()]);
    run.failure();
    assert!(run.stderr().contains("is a draft"), "{}", run.stderr());
    assert_eq!(std::fs::read(&disguised).unwrap(), before, "nothing written");
    // A final build of the same release carries no mark and signs.
    project.run(&["build", REFERENCE, "--lang", "ru"]).success();
    let keywords = project.pdf(REFERENCE, "ru").info("Keywords").unwrap_or_default();
    assert!(!keywords.contains("pressroom:draft"), "{keywords}");
}

/// Under `[review] required`, `sign` signs only finals built under review:
/// one built before review was required may hold unapproved text.
#[test]
fn a_pdf_built_before_review_was_required_is_not_signed() {
    let project = signing_project(GOOD);
    project.run(&["build", REFERENCE, "--lang", "tg"]).success();
    let pdf = project.file(&format!("out/{REFERENCE}.tg.pdf"));
    let config = project.read("pressroom.toml");
    project.write("pressroom.toml", &format!("{config}\n[review]\nrequired = true\n"));
    let before = std::fs::read(&pdf).unwrap();
    let run = project.run(&["sign", pdf.to_str().unwrap()]);
    run.failure();
    let err = run.stderr();
    assert!(err.contains("pressroom:reviewed") && err.contains("[review] required"), "{err}");
    assert!(err.contains("pressroom build"), "the hint says what to do: {err}");
    assert_eq!(std::fs::read(&pdf).unwrap(), before, "nothing written");
    // Approved and built again under review: it carries the mark and signs.
    let repo = git2::Repository::init(project.path()).unwrap();
    repo.config().unwrap().set_str("user.name", "Rustam").unwrap();
    project.run(&["l10n", "approve", "tg"]).success();
    project.run(&["build", REFERENCE, "--lang", "tg"]).success();
    let keywords = project.pdf(REFERENCE, "tg").info("Keywords").unwrap_or_default();
    assert!(keywords.contains("pressroom:reviewed"), "{keywords}");
    project.run(&["sign", pdf.to_str().unwrap()]).success();
    verify(&project, pdf.to_str().unwrap()).success();
}

#[test]
fn encrypted_keys_take_the_passphrase_from_the_environment_only() {
    let project =
        signing_project("certificate = \"keys/signer.pem\"\nkey = \"keys/signer.key.enc.pem\"\n");
    project.run(&["build", REFERENCE, "--lang", "en"]).success();
    let pdf = project.file(&format!("out/{REFERENCE}.en.pdf"));
    let sign = |passphrase: Option<&str>| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_pressroom"));
        cmd.args(["--root", project.path().to_str().unwrap(), "--color", "never", "sign"])
            .arg(&pdf)
            .stdin(std::process::Stdio::null())
            .env_remove("PRESSROOM_SIGNING_PASSPHRASE");
        if let Some(p) = passphrase {
            cmd.env("PRESSROOM_SIGNING_PASSPHRASE", p);
        }
        crate::support::Run(cmd.output().unwrap())
    };
    let before = std::fs::read(&pdf).unwrap();
    let run = sign(None);
    run.failure();
    assert!(run.stderr().contains("no passphrase was given"), "{}", run.stderr());
    let run = sign(Some("wrong"));
    run.failure();
    assert!(run.stderr().contains("wrong passphrase"), "{}", run.stderr());
    assert!(!run.stderr().contains("wrong\n") && !run.stdout().contains("wrong\n"));
    assert_eq!(std::fs::read(&pdf).unwrap(), before, "nothing written on failure");
    let run = sign(Some("test-passphrase"));
    run.success();
    assert!(!run.stdout().contains("test-passphrase") && !run.stderr().contains("test-passphrase"));
    verify(&project, pdf.to_str().unwrap()).success();
}

#[test]
fn bad_certificates_and_keys_are_refused_before_anything_is_written() {
    for (config, expected) in [
        (
            "certificate = \"keys/expired.pem\"\nkey = \"keys/signer.key.pem\"\n",
            "the certificate expired",
        ),
        ("certificate = \"keys/future.pem\"\nkey = \"keys/signer.key.pem\"\n", "not valid yet"),
        (
            "certificate = \"keys/encipher.pem\"\nkey = \"keys/signer.key.pem\"\n",
            "cannot sign documents",
        ),
        (
            "certificate = \"keys/signer.pem\"\nkey = \"keys/other.key.pem\"\n",
            "does not belong to the certificate",
        ),
        ("certificate = \"keys/signer.pem\"\n", "needs `certificate` and `key`"),
    ] {
        let project = signing_project(config);
        let run = project.run(&["build", "--sign"]);
        run.failure();
        assert!(run.stderr().contains(expected), "{config}: {}", run.stderr());
        assert!(!project.file("out").exists(), "{config}: something was written");
    }
}

#[test]
fn pkcs12_files_sign_with_their_chain() {
    let project = signing_project("pkcs12 = \"keys/signer.p12\"\n");
    std::fs::copy(repo().join("tests/keys/signer.p12"), project.file("keys/signer.p12")).unwrap();
    let build = |passphrase: &str| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_pressroom"))
            .args([
                "--root",
                project.path().to_str().unwrap(),
                "--color",
                "never",
                "build",
                "--sign",
            ])
            .args([REFERENCE, "--lang", "en"])
            .stdin(std::process::Stdio::null())
            .env("PRESSROOM_SIGNING_PASSPHRASE", passphrase)
            .output()
            .unwrap();
        crate::support::Run(output)
    };
    let run = build("wrong");
    run.failure();
    assert!(run.stderr().contains("wrong passphrase"), "{}", run.stderr());
    build("test-passphrase").success();
    let pdf = project.file(&format!("out/{REFERENCE}.en.pdf"));
    verify(&project, pdf.to_str().unwrap()).success();
}

#[test]
fn rsa_keys_sign_too() {
    let project = signing_project("certificate = \"keys/rsa.pem\"\nkey = \"keys/rsa.key.pem\"\n");
    project.run(&["build", "--sign", REFERENCE, "--lang", "ru"]).success();
    let run = verify(&project, project.file(&format!("out/{REFERENCE}.ru.pdf")).to_str().unwrap());
    run.success();
    assert!(run.stdout().contains("signature valid:    yes"), "{}", run.stdout());
}

#[test]
fn an_unreachable_timestamp_authority_fails_the_signature_and_writes_nothing() {
    // Port 9 on loopback: nothing listens, the connection is refused at once.
    let project = signing_project(&format!("{GOOD}timestamp-url = \"http://127.0.0.1:9/\"\n"));
    let run = project.run(&["build", "--sign", REFERENCE, "--lang", "en"]);
    run.failure();
    assert!(
        run.stderr().contains("the timestamp authority at http://127.0.0.1:9/"),
        "{}",
        run.stderr()
    );
    assert!(!project.file(&format!("out/{REFERENCE}.en.pdf")).exists());
}

#[test]
fn a_chain_forged_through_an_end_entity_certificate_is_not_trusted() {
    let project = keys_project(
        "certificate = \"keys/forged.pem\"\nkey = \"keys/forged.key.pem\"\n\
         chain = [\"keys/signer.pem\", \"keys/ca.pem\"]\n",
    );
    project.run(&["build", "--sign", "--lang", "en"]).success();
    let pdf = project.file(&format!("out/{REFERENCE}.en.pdf"));
    let run = verify(&project, pdf.to_str().unwrap());
    run.failure();
    let out = run.stdout();
    // The signature itself is fine; the chain is not.
    assert!(out.contains("signature valid:    yes"), "{out}");
    assert!(out.contains("chain trusted:      NO ("), "{out}");
    assert!(out.contains("not a CA") || out.contains("is a CA"), "names the failed check: {out}");

    // The same PDF signed by the real signer is trusted.
    let good = signing_project(GOOD);
    good.run(&["build", "--sign", "--lang", "en"]).success();
    let pdf = good.file(&format!("out/{REFERENCE}.en.pdf"));
    verify(&good, pdf.to_str().unwrap()).success();
}

#[test]
fn a_p384_key_signs_with_sha384_and_verifies() {
    let project = signing_project("certificate = \"keys/p384.pem\"\nkey = \"keys/p384.key.pem\"\n");
    project.run(&["build", "--sign", "--lang", "en"]).success();
    let pdf = project.file(&format!("out/{REFERENCE}.en.pdf"));
    let bytes = std::fs::read(&pdf).unwrap();
    let run = verify(&project, pdf.to_str().unwrap());
    run.success();
    assert!(run.stdout().contains("signature valid:    yes"), "{}", run.stdout());
    // /Contents is the CMS signature in hex: it names ecdsa-with-SHA384
    // (1.2.840.10045.4.3.3) and SHA-384 (2.16.840.1.101.3.4.2.2), as DER.
    let text = String::from_utf8_lossy(&bytes).to_lowercase();
    assert!(text.contains("06082a8648ce3d040303"), "ecdsa-with-SHA384 in the signature");
    assert!(text.contains("0609608648016503040202"), "SHA-384 in the signature");
}

#[test]
fn check_warns_of_a_private_key_git_would_commit() {
    let project = signing_project(GOOD);
    let git = |args: &[&str]| {
        std::process::Command::new("git").arg("-C").arg(project.path()).args(args).output()
    };
    if git(&["init", "-q"]).is_err() {
        eprintln!("git is not installed: nothing to check");
        return;
    }
    let run = project.run(&["check"]);
    run.success();
    let err = run.stderr();
    assert!(err.contains("warning[key-exposed]: the private key `keys/signer.key.pem`"), "{err}");
    assert!(err.contains("pressroom.toml:"), "located at [signing]: {err}");
    project.write(".gitignore", "keys/\n");
    let run = project.run(&["check"]);
    assert!(!run.stderr().contains("key-exposed"), "{}", run.stderr());
}
