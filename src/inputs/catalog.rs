//! The questionnaires a run knows: the built-in ones and one given with `--questionnaire`.

use std::path::Path;

use crate::Error;
use crate::builtin;
use crate::load::{Source, load_questionnaire};
use crate::model::Questionnaire;

/// The questionnaires a run knows: the built-in ones and any given with `--questionnaire`.
#[derive(Debug, Clone)]
pub struct Catalog {
    questionnaires: Vec<Questionnaire>,
    chosen: Option<usize>,
}

impl Catalog {
    /// The built-in questionnaires, plus `chosen` (a path or a built-in id) when given.
    pub fn new(chosen: Option<&str>) -> Result<Catalog, Error> {
        let mut catalog = Catalog {
            questionnaires: builtin::questionnaires(),
            chosen: None,
        };
        if let Some(name) = chosen {
            let index = catalog.find(name)?;
            catalog.chosen = Some(index);
        }
        Ok(catalog)
    }

    fn find(&mut self, name: &str) -> Result<usize, Error> {
        let path = Path::new(name);
        if path.exists() {
            let source = Source::read(path)?;
            let (questionnaire, _warnings) = load_questionnaire(&source).map_err(Error::Invalid)?;
            self.questionnaires.push(questionnaire);
            return Ok(self.questionnaires.len() - 1);
        }
        self.questionnaires
            .iter()
            .position(|q| q.id == name || q.reference() == name)
            .ok_or_else(|| Error::UnknownQuestionnaire {
                name: name.to_owned(),
                known: self.questionnaires.iter().map(|q| q.id.clone()).collect(),
            })
    }

    /// The one questionnaire a command works on: a file, or a built-in id.
    pub fn questionnaire(name: &str) -> Result<Questionnaire, Error> {
        let mut catalog = Catalog::new(None)?;
        let index = catalog.find(name)?;
        Ok(catalog.questionnaires.swap_remove(index))
    }

    /// The questionnaire chosen with `--questionnaire`, if any.
    pub fn chosen(&self) -> Option<&Questionnaire> {
        self.chosen.map(|i| &self.questionnaires[i])
    }

    /// The questionnaire a response names as `id@version`: the chosen one if it matches, else a
    /// built-in one.
    pub fn resolve(&self, reference: &str) -> Option<&Questionnaire> {
        if let Some(chosen) = self.chosen() {
            return (chosen.reference() == reference).then_some(chosen);
        }
        self.questionnaires
            .iter()
            .find(|q| q.reference() == reference)
    }

    /// Makes a questionnaire known to `resolve` (one given on the command line of `validate`).
    pub fn add(&mut self, questionnaire: Questionnaire) {
        if self.resolve(&questionnaire.reference()).is_none() {
            self.questionnaires.push(questionnaire);
        }
    }
}
