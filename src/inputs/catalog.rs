//! The questionnaires a run knows: the built-in ones and those given with `--questionnaire`.

use std::path::Path;

use crate::Error;
use crate::builtin;
use crate::load::{Source, load_questionnaire};
use crate::model::{Questionnaire, compare_versions};

/// The questionnaires a run knows: the built-in ones and any given with `--questionnaire`.
#[derive(Debug, Clone)]
pub struct Catalog {
    questionnaires: Vec<Questionnaire>,
    /// The chosen ones: versions of one questionnaire, oldest first.
    chosen: Vec<usize>,
}

impl Catalog {
    /// The built-in questionnaires, plus those `chosen` (paths or built-in ids): versions of one
    /// questionnaire, since a run compares rounds of one questionnaire.
    pub fn new(chosen: &[String]) -> Result<Catalog, Error> {
        let mut catalog = Catalog {
            questionnaires: builtin::questionnaires(),
            chosen: Vec::new(),
        };
        for name in chosen {
            let index = catalog.find(name)?;
            let found = &catalog.questionnaires[index];
            if let Some(&first) = catalog.chosen.first() {
                let first = &catalog.questionnaires[first];
                if first.id != found.id {
                    return Err(Error::Usage(format!(
                        "--questionnaire {name} is `{}`, another questionnaire than `{}`; expected versions of one questionnaire in one run",
                        found.reference(),
                        first.reference()
                    )));
                }
            }
            let reference = found.reference();
            if !catalog
                .chosen
                .iter()
                .any(|&i| catalog.questionnaires[i].reference() == reference)
            {
                catalog.chosen.push(index);
            }
        }
        let questionnaires = &catalog.questionnaires;
        catalog.chosen.sort_by(|&a, &b| {
            compare_versions(&questionnaires[a].version, &questionnaires[b].version)
        });
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
        // `id@version` names one version; a bare id names its latest.
        let exact = self
            .questionnaires
            .iter()
            .position(|q| q.reference() == name);
        let latest = || {
            (0..self.questionnaires.len())
                .filter(|&i| self.questionnaires[i].id == name)
                .max_by(|&a, &b| {
                    compare_versions(
                        &self.questionnaires[a].version,
                        &self.questionnaires[b].version,
                    )
                })
        };
        exact
            .or_else(latest)
            .ok_or_else(|| Error::UnknownQuestionnaire {
                name: name.to_owned(),
                known: self.questionnaires.iter().map(|q| q.reference()).collect(),
            })
    }

    /// The one questionnaire a command works on: a file, or a built-in id.
    pub fn questionnaire(name: &str) -> Result<Questionnaire, Error> {
        let mut catalog = Catalog::new(&[])?;
        let index = catalog.find(name)?;
        Ok(catalog.questionnaires.swap_remove(index))
    }

    /// The latest version chosen with `--questionnaire`, if any: the one table rows answer.
    pub fn chosen(&self) -> Option<&Questionnaire> {
        self.chosen.last().map(|&i| &self.questionnaires[i])
    }

    /// The questionnaire a response names as `id@version`: one of the chosen, or a built-in one
    /// (when some were chosen, only a built-in version of theirs: earlier rounds answered the
    /// built-in version of a questionnaire given as a file for its new version).
    pub fn resolve(&self, reference: &str) -> Option<&Questionnaire> {
        let chosen = self.chosen.iter().map(|&i| &self.questionnaires[i]);
        if let Some(found) = chosen.clone().find(|q| q.reference() == reference) {
            return Some(found);
        }
        let id = chosen.map(|q| q.id.as_str()).next();
        self.questionnaires
            .iter()
            .filter(|q| id.is_none_or(|id| q.id == id))
            .find(|q| q.reference() == reference)
    }

    /// The chosen versions, oldest first.
    pub fn chosen_versions(&self) -> Vec<&Questionnaire> {
        self.chosen
            .iter()
            .map(|&i| &self.questionnaires[i])
            .collect()
    }

    /// Every version of questionnaire `id` this run knows, built-in or given, oldest first.
    pub fn versions_of(&self, id: &str) -> Vec<&Questionnaire> {
        let mut versions: Vec<&Questionnaire> =
            self.questionnaires.iter().filter(|q| q.id == id).collect();
        versions.sort_by(|a, b| compare_versions(&a.version, &b.version));
        versions
    }

    /// The references of the chosen questionnaires, oldest first, for messages.
    pub fn chosen_references(&self) -> Vec<String> {
        self.chosen
            .iter()
            .map(|&i| self.questionnaires[i].reference())
            .collect()
    }

    /// Makes a questionnaire known to `resolve` (one given on the command line of `validate`).
    pub fn add(&mut self, questionnaire: Questionnaire) {
        if self.resolve(&questionnaire.reference()).is_none() {
            self.questionnaires.push(questionnaire);
        }
    }
}
