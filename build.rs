//! Link-time settings for the pressroom binary.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let linux_gnu = std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux")
        && std::env::var("CARGO_CFG_TARGET_ENV").as_deref() == Ok("gnu");
    if linux_gnu {
        // Nearly all of the binary's ~100k relocations are relative ones.
        // Packed (DT_RELR, glibc 2.36+, binutils 2.38+), the dynamic loader
        // applies them several times faster: a fresh process starts sooner.
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}
