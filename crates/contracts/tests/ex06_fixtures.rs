//! The ex06 checker against its fixtures: sections in any order and any valid
//! interleaving inside them are accepted; each rule has transcripts that break it.

mod common;

use common::fixture_tests;
use contracts::Exercise;

fixture_tests!(Exercise::Ex06);
