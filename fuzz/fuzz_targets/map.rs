#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| cybercap::fuzzing::map(data));
