//! `take`: administering a questionnaire in the terminal. The session (which question, what is
//! saved) knows nothing of terminals; `flow` runs it through any `Frontend`: the line mode here,
//! the interactive one in the binary, a script in the tests.

mod flow;
pub mod plain;
mod session;
pub mod strings;
#[cfg(test)]
mod tests;
mod view;

pub use flow::{Ending, Frontend, Reply, ReviewChoice, Sitting, Stop, Store, run};
pub use session::{Annotation, KeptAnswer, Session};
pub use view::{
    AnswerKind, OptionView, QuestionView, question_view, review_lines, saved_line, start_lines,
};
