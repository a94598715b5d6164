//! Fuzz the program decoder below the bucket: arbitrary bytes as a serialized program must be
//! an error or a program that passed validation, and a validated program can be walked (here:
//! disassembled) without a panic or a loop. Rendering mutated programs is exercised by
//! `tests/cache_faults.rs` (`mutated_programs_never_panic_when_decoded_or_rendered`).
//!
//! `cargo fuzz run program` from the repository root (needs cargo-fuzz and a nightly toolchain).
#![no_main]

use jinjac::compiler::Program;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(p) = Program::from_bytes(data) {
        let _ = jinjac::compiler::disasm::disassemble(&p);
    }
});
