//! The only network access pressroom has: timestamp authorities and the
//! revocation services that validated certificates name. No redirect is
//! followed (a service that sends one elsewhere is not the one named), every
//! request has a time limit, and an answer larger than any real token, CRL
//! or OCSP response is refused.

use std::time::Duration;

/// An answer larger than this is not a timestamp token, CRL or OCSP
/// response (a CA's CRL of many thousands of entries is a few megabytes).
const MAX_ANSWER: u64 = 32 << 20;

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(30)))
        .timeout_connect(Some(Duration::from_secs(10)))
        .max_redirects(0)
        .build()
        .into()
}

fn answer(response: ureq::http::Response<ureq::Body>) -> Result<Vec<u8>, String> {
    let status = response.status();
    if status.is_redirection() {
        let to = response
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .unwrap_or("elsewhere")
            .to_owned();
        return Err(format!("it redirects to {to}, and pressroom follows no redirect"));
    }
    if !status.is_success() {
        return Err(format!("it answered HTTP {}", status.as_u16()));
    }
    response.into_body().with_config().limit(MAX_ANSWER).read_to_vec().map_err(|e| e.to_string())
}

/// POSTs `body` as `content_type` to `url`; the answer's bytes.
pub fn post(url: &str, content_type: &str, body: &[u8]) -> Result<Vec<u8>, String> {
    let response = agent()
        .post(url)
        .header("Content-Type", content_type)
        .send(body)
        .map_err(|e| e.to_string())?;
    answer(response)
}

/// GETs `url`; the answer's bytes.
pub fn get(url: &str) -> Result<Vec<u8>, String> {
    answer(agent().get(url).call().map_err(|e| e.to_string())?)
}
