-- Per-flag review (issue 15): a verdict may accept or reject each detector flag it was given,
-- the false-positive signal per detector. JSON array of {"flag": index in the revision's
-- flags, "accepted": true|false}, sorted by flag index; '[]' when none was reviewed. The flag
-- index is stable because a verdict names the revision it judged. The audit event carries the
-- same array, and audit verify compares the two.
ALTER TABLE `verdicts` ADD `flag_reviews` text DEFAULT '[]' NOT NULL;
