#!/usr/bin/env python3
"""Each refusal of the team service's guard is tested: disable one check at a
time, run the team tests, and show that some test fails. Not part of CI (it
rebuilds once per check); run it after changing the guard:

    python3 scripts/mutate-guard.py

Prints one line per check: `caught` (a test failed) or `MISSED`. Exits 1 if
any check is missed. Sources are restored whatever happens.
"""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# (what, file, the check's code, the same code with the check disabled)
MUTATIONS = [
    ("host", "src/team/guard.rs",
     "if host != Some(team.listen.host.as_bytes()) {", "if false {"),
    ("origin", "src/team/guard.rs",
     "if origin != Some(team.listen.origin.as_bytes()) {", "if false {"),
    ("json body", "src/team/guard.rs",
     "if changes && !is_json(headers) {", "if false {"),
    ("csrf token", "src/team/guard.rs",
     "if !sent.is_some_and(|sent| same_secret(sent, csrf.as_bytes())) {", "if false {"),
    ("role", "src/team/guard.rs",
     "    if !permitted {", "    if false && !permitted {"),
    ("any role to read", "src/team/guard.rs",
     "Action::Read => !roles.is_empty(),", "Action::Read => true,"),
    ("session required", "src/team/guard.rs",
     "    let Some(caller) = caller else {",
     "    let caller = caller.or(Some(Caller { person: super::store::Person { name: \"x\".into(), email: \"x@x\".into(), roles: vec![super::Role::Office] }, via: Via::Token }));\n    let Some(caller) = caller else {"),
    ("session idle expiry", "src/team/store.rs",
     "params![key, at - SESSION_IDLE, at - SESSION_MAX],", "params![key, at - 10 * SESSION_IDLE, at - SESSION_MAX],"),
    ("session absolute expiry", "src/team/store.rs",
     "params![key, at - SESSION_IDLE, at - SESSION_MAX],", "params![key, at - SESSION_IDLE, at - 10 * SESSION_MAX],"),
    ("token expiry", "src/team/store.rs",
     "WHERE t.digest = ?1 AND t.expires > ?2", "WHERE t.digest = ?1 AND t.expires > ?2 - 1000000000000"),
    ("token scope", "src/team/store.rs",
     "let roles = scope\n", "let roles = held.clone();\n        let _ = scope\n"),
    ("sign-in throttle", "src/team/signin.rs",
     "if let Some(wait) = team.throttle.wait(&form.name, client.0, Instant::now()) {",
     "if let Some(wait) = None::<std::time::Duration> {"),
    ("body size", "src/serve/http.rs",
     "match Limited::new(body, MAX_BODY).collect().await {", "match Limited::new(body, 64 * MAX_BODY).collect().await {"),
    ("listen beyond loopback", "src/team/listen.rs",
     "if !loopback && tls.is_none() {", "if false {"),
    ("state inside the project", "src/team/mod.rs",
     "    if inside {", "    if false && inside {"),
    ("secure cookie", "src/team/signin.rs",
     "let secure = if self.listen.https { \"; Secure\" } else { \"\" };", "let secure = \"\";"),
    ("new session id at sign-in", "src/team/store.rs",
     "id: random_hex(32).map_err(StoreError::Secret)?,", "id: \"0\".repeat(64),"),
    ("sign-out", "src/team/signin.rs",
     "        let _ = team.store.end_session(id);\n    }\n    team.audit(&caller.person.name, AuditAction::SignOut",
     "    }\n    team.audit(&caller.person.name, AuditAction::SignOut"),
    ("TLS", "src/team/transport.rs",
     "            match tls {", "            match tls.filter(|_| false) {"),
    ("HSTS", "src/team/guard.rs",
     "    if https {\n        set(headers, header::STRICT_TRANSPORT_SECURITY", "    if false {\n        set(headers, header::STRICT_TRANSPORT_SECURITY"),
    ("only the action's files committed", "src/team/git.rs",
     "if let Some(head) = &head {\n            index.read_tree(&head.tree()?)?;\n        }",
     "index = repo.index()?; index.add_all([\"*\"], git2::IndexAddOption::DEFAULT, None)?;"),
]


def run_tests():
    env = dict(os.environ)
    env.setdefault("CARGO_TARGET_DIR", os.path.expanduser("~/.cache/pressroom/target"))
    lib = subprocess.run(["cargo", "test", "-q", "--lib", "team::"], cwd=ROOT, env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    it = subprocess.run(["cargo", "test", "-q", "--test", "it", "team::"], cwd=ROOT, env=env,
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return lib.returncode == 0 and it.returncode == 0


def main():
    missed = 0
    for what, rel, old, new in MUTATIONS:
        path = os.path.join(ROOT, rel)
        original = open(path, encoding="utf-8").read()
        if original.count(old) != 1:
            print(f"{what}: the check's code is not found once in {rel}: update this script")
            missed += 1
            continue
        try:
            open(path, "w", encoding="utf-8").write(original.replace(old, new))
            passed = run_tests()
        finally:
            open(path, "w", encoding="utf-8").write(original)
        print(f"{'MISSED' if passed else 'caught'}  {what}", flush=True)
        missed += passed
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
