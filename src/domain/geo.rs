//! Distances on the ground, between WGS84 points.

/// Great-circle distance in km (haversine, Earth radius 6,371 km).
pub fn distance_km((lat1, lon1): (f64, f64), (lat2, lon2): (f64, f64)) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = (lat2 - lat1).to_radians();
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0 * a.sqrt().min(1.0).asin()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn verdun_to_bar_le_duc_is_about_45_km() {
        // Centroids of the two communes (communes-france.csv).
        let verdun = crate::referentiel::communes::par_code("55545")
            .unwrap()
            .coordonnees
            .unwrap();
        let bar = crate::referentiel::communes::par_code("55029")
            .unwrap()
            .coordonnees
            .unwrap();
        let d = distance_km(verdun, bar);
        assert!((44.0..47.0).contains(&d), "{d}");
        assert_eq!(distance_km(verdun, verdun), 0.0);
    }

    proptest! {
        #[test]
        fn distance_is_symmetric_and_bounded(a in -89.0..89.0f64, b in -179.0..179.0f64, c in -89.0..89.0f64, d in -179.0..179.0f64) {
            let x = distance_km((a, b), (c, d));
            prop_assert!((x - distance_km((c, d), (a, b))).abs() < 1e-6);
            prop_assert!((0.0..=20_016.0).contains(&x));
        }
    }
}
