//! A Pexip Infinity Management Node simulator serving the Management API over HTTPS.
