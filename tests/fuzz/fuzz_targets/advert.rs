#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    x0tta6bl4::engine::fuzz::run("advert", data);
});
