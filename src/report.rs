//! Renders diagnostics for people (rustc style), for machines (JSON) and for GitHub Actions.
//! Decides nothing about severity or exit codes.
