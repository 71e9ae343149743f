//! The EU emblem for the web page and the e-mail, from the geometry the
//! letterhead draws it with (`layouts/letterhead/main.typ`): a 3:2 blue
//! rectangle, twelve gold five-pointed stars on a circle of radius h/3,
//! each of outer radius h/18 with one point up, at the hours of a clock.
//! As SVG for pages (sharp at any size) and as PNG for e-mail, which many
//! mail clients show only as an attached image.

const BLUE: (u8, u8, u8) = (0x00, 0x33, 0x99);
const GOLD: (u8, u8, u8) = (0xFF, 0xCC, 0x00);

/// The stars' outlines for an emblem `height` tall (`1.5 × height` wide):
/// ten points each, outer and inner in turn.
fn stars(height: f64) -> Vec<Vec<(f64, f64)>> {
    let width = height * 1.5;
    (0..12)
        .map(|hour| {
            let angle = (90.0 - f64::from(hour) * 30.0).to_radians();
            let (cx, cy) = (
                width / 2.0 + height / 3.0 * angle.cos(),
                height / 2.0 - height / 3.0 * angle.sin(),
            );
            let outer = height / 18.0;
            (0..10)
                .map(|i| {
                    let radius = if i % 2 == 0 { outer } else { outer * 0.382 };
                    let angle = (90.0 + f64::from(i) * 36.0).to_radians();
                    (cx + radius * angle.cos(), cy - radius * angle.sin())
                })
                .collect()
        })
        .collect()
}

/// `emblem.svg`: the emblem on a 120-unit-high canvas.
pub fn svg() -> String {
    let height = 120.0;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {height}\" width=\"{w}\" height=\"{height}\">\n\
         <rect width=\"{w}\" height=\"{height}\" fill=\"#{:02x}{:02x}{:02x}\"/>\n",
        BLUE.0,
        BLUE.1,
        BLUE.2,
        w = height * 1.5,
    );
    for star in stars(height) {
        let points: Vec<String> = star.iter().map(|(x, y)| format!("{x:.2},{y:.2}")).collect();
        svg.push_str(&format!(
            "<polygon fill=\"#{:02x}{:02x}{:02x}\" points=\"{}\"/>\n",
            GOLD.0,
            GOLD.1,
            GOLD.2,
            points.join(" ")
        ));
    }
    svg.push_str("</svg>\n");
    svg
}

/// The emblem as a PNG `height` pixels tall, for e-mail.
pub fn png(height: u32) -> Option<Vec<u8>> {
    use tiny_skia::{Color, FillRule, Paint, PathBuilder, Pixmap, Transform};
    let width = height * 3 / 2;
    let mut pixmap = Pixmap::new(width, height)?;
    pixmap.fill(Color::from_rgba8(BLUE.0, BLUE.1, BLUE.2, 255));
    let mut paint = Paint::default();
    paint.set_color_rgba8(GOLD.0, GOLD.1, GOLD.2, 255);
    paint.anti_alias = true;
    for star in stars(f64::from(height)) {
        let mut path = PathBuilder::new();
        for (i, (x, y)) in star.iter().enumerate() {
            if i == 0 {
                path.move_to(*x as f32, *y as f32);
            } else {
                path.line_to(*x as f32, *y as f32);
            }
        }
        path.close();
        let path = path.finish()?;
        pixmap.fill_path(&path, &paint, FillRule::Winding, Transform::identity(), None);
    }
    pixmap.encode_png().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twelve_stars_on_a_circle_of_a_third_of_the_height() {
        let stars = stars(18.0);
        assert_eq!(stars.len(), 12);
        // The top star's upper point: the circle's top plus a star's radius.
        let top = stars[0][0];
        assert!((top.0 - 13.5).abs() < 1e-9 && (top.1 - (9.0 - 6.0 - 1.0)).abs() < 1e-9, "{top:?}");
        assert!(svg().matches("<polygon").count() == 12);
        let png = png(60).unwrap();
        assert!(png.starts_with(b"\x89PNG"));
    }
}
