//! Rendering scores and their explanation for the terminal and for other programs.

pub mod explain;
pub mod score;
pub mod table;
