//! The filters the default theme's templates use (`seconds`, `clock`,
//! `tag_url`), registered on Tera by the renderer.

use super::listings;
use crate::model::Timecode;
use std::collections::HashMap;

/// `"00:01:02.500"` -> `62.5`: a turn's start for `#t=` media fragments.
pub(super) fn filter_seconds(
    value: &tera::Value,
    _: &HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let tc = parse_timecode_value(value, "seconds")?;
    Ok(tera::Value::from(tc.seconds()))
}

/// `"00:01:02.500"` -> `"00:01:02"`: a turn's start as readers see it.
pub(super) fn filter_clock(
    value: &tera::Value,
    _: &HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let tc = parse_timecode_value(value, "clock")?;
    Ok(tera::Value::from(tc.clock()))
}

pub(super) fn parse_timecode_value(value: &tera::Value, filter: &str) -> tera::Result<Timecode> {
    value.as_str().and_then(Timecode::parse).ok_or_else(|| {
        tera::Error::msg(format!(
            "the `{filter}` filter takes a time code like \"00:01:02\", not {value}"
        ))
    })
}

/// `"Open Source"` -> `"tags/open-source/"`: a tag's page, relative to the root.
pub(super) fn filter_tag_url(
    value: &tera::Value,
    _: &HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let name = value.as_str().ok_or_else(|| {
        tera::Error::msg(format!("the `tag_url` filter takes a tag, not {value}"))
    })?;
    Ok(tera::Value::from(listings::tag_url(
        &crate::site::tags::tag_slug(name),
    )))
}
