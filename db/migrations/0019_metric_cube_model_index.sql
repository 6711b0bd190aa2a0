-- The model, version and deployment panels and the regression checks group the cube by model,
-- version, deployment and category (electron/core/metrics/dashboard.ts modelPanels). The cube's
-- key starts with day, so that GROUP BY sorted every cell of the range: 120-160 ms per panel at
-- 1M items. This index holds the cells in that group order with state and n (a WITHOUT ROWID
-- table's index entries also carry the rest of its key, so every dashboard filter is answered
-- from it): the read walks it and sums as it goes. It changes when a cell's n changes.
CREATE INDEX `metric_cube_model_cells` ON `metric_cube` (`model`, `version`, `deployment`, `category`, `state`, `n`);
