import { Badge, Button, CloseButton, Collapse, Group, MultiSelect, Select, SimpleGrid, Text, TextInput, UnstyledButton } from '@mantine/core';
import { memo, useMemo } from 'react';
import type { Facets, ItemStatus } from '../../electron/shared/contract.ts';
import { formatCount, formatCountShort, PRIORITY_COLOR, PRIORITY_LABEL, STATUS_COLOR, STATUS_LABEL } from '../lib/format.ts';
import { useAsync } from '../lib/useAsync.ts';
import { useChangeVersion, useChangeVersionFor } from '../shell/changes.ts';
import { DEFAULT_FILTER, OPEN_STATUSES, useUi } from '../state/ui.ts';
import { fetchFacets, fetchQueueCounts, toApiFilter } from './queries.ts';
import { STATUSES_ORDER } from './statuses.ts';
import { useLoadedCount } from './store.ts';
import { KeyHint } from '../shell/KeyHint.tsx';
import classes from './QueueFilters.module.css';

function toggle<T>(list: T[], v: T): T[] {
  return list.includes(v) ? list.filter((x) => x !== v) : [...list, v];
}

/** Memoised (it takes no props): the queue list re-renders on every selection change, this need not. */
export const QueueFilters = memo(function QueueFilters() {
  const filter = useUi((s) => s.filter);
  const setFilter = useUi((s) => s.setFilter);
  const resetFilters = useUi((s) => s.resetFilters);
  const open = useUi((s) => s.filtersOpen);
  const setOpen = useUi((s) => s.setFiltersOpen);
  const version = useChangeVersion();
  const facetsVersion = useChangeVersionFor('ingest');
  const apiFilter = useMemo(() => toApiFilter(filter), [filter]);
  const countsKey = `${JSON.stringify({ ...apiFilter, status: undefined })}@${version}`;
  const { data: counts } = useAsync(countsKey, () => fetchQueueCounts(apiFilter));
  // The facets scan the items table (seconds at a million items, and the core answers one call
  // at a time): asked for only once the filters panel is open, never at start.
  const { data: facets } = useAsync(open ? `facets:${facetsVersion}` : null, fetchFacets);
  const loaded = useLoadedCount();

  const secondary =
    (filter.priority.length ? 1 : 0) +
    (filter.route.length ? 1 : 0) +
    (filter.flagCategory ? 1 : 0) +
    (filter.flagPolicy ? 1 : 0) +
    (filter.model ? 1 : 0) +
    (filter.deployment ? 1 : 0) +
    (filter.from || filter.to ? 1 : 0) +
    (filter.oversight ? 1 : 0);
  const isOpenPreset = filter.status.length === OPEN_STATUSES.length && OPEN_STATUSES.every((s) => filter.status.includes(s));
  const shown = counts ? (filter.status.length ? filter.status : STATUSES_ORDER).reduce((n, s) => n + (counts.counts[s] ?? 0), 0) : null;

  return (
    <div className={classes.wrap} data-testid="queue-filters">
      <StatusBoxes counts={counts} />
      {filter.oversight && (
        <Group gap={4} wrap="nowrap" data-testid="drill-chip">
          <Badge variant="light" color="accent" size="sm" className="truncate" title={filter.oversight.label} style={{ textTransform: 'none', maxWidth: '100%' }}>
            Oversight: {filter.oversight.label}
          </Badge>
          <CloseButton size="xs" aria-label="Clear the oversight filter" onClick={() => setFilter({ oversight: null })} data-testid="drill-clear" />
        </Group>
      )}
      <Group justify="space-between" gap={6} className={classes.bar}>
        <Text size="xs" c="dimmed" data-testid="queue-summary" title="Sorted by priority, then oldest first">
          {shown === null ? 'Counting…' : `${formatCount(shown)}${counts?.capped ? '+' : ''} ${shown === 1 ? 'item' : 'items'}`}
          {loaded > 0 && shown !== null && shown > loaded ? ` · ${formatCount(loaded)} loaded` : ''}
        </Text>
        <Group gap={4} wrap="nowrap">
          <span className={classes.navHint} title="Next / previous item">
            <KeyHint keys={['j', 'k']} joiner="/" />
          </span>
          {(!isOpenPreset || secondary > 0) && (
            <Button size="compact-xs" variant="subtle" color="gray" onClick={resetFilters} data-testid="filters-reset">
              Reset
            </Button>
          )}
          <Button
            size="compact-xs"
            variant={open || secondary ? 'light' : 'subtle'}
            color={secondary ? 'accent' : 'gray'}
            onClick={() => setOpen(!open)}
            data-testid="filters-toggle"
            aria-expanded={open}
          >
            Filters{secondary ? ` · ${secondary}` : ''}
          </Button>
        </Group>
      </Group>
      <FilterPanel open={open} facets={facets} secondary={secondary} />
    </div>
  );
});

/** One box per status: its count under the other filters, and a toggle of the status filter. */
function StatusBoxes({ counts }: { counts: { counts: Record<string, number>; capped: boolean } | undefined }) {
  const filter = useUi((s) => s.filter);
  const setFilter = useUi((s) => s.setFilter);
  return (
    <div className={classes.statuses} role="group" aria-label="Status">
      {STATUSES_ORDER.map((s: ItemStatus) => {
        const on = filter.status.includes(s);
        return (
          <UnstyledButton
            key={s}
            className={classes.status}
            data-active={on || undefined}
            aria-pressed={on}
            data-testid={`status-${s}`}
            onClick={() => setFilter({ status: toggle(filter.status, s) })}
            style={{ ['--dot' as string]: `var(--mantine-color-${STATUS_COLOR[s]}-6)` }}
          >
            <span className={classes.numRow}>
              <span
                className={classes.num}
                data-testid={`status-count-${s}`}
                title={counts ? `${formatCount(counts.counts[s] ?? 0)} ${STATUS_LABEL[s]?.toLowerCase()}` : undefined}
              >
                {counts ? `${formatCountShort(counts.counts[s] ?? 0)}${counts.capped && (counts.counts[s] ?? 0) > 0 ? '+' : ''}` : '–'}
              </span>
              <span className={classes.dot} />
            </span>
            <span className={classes.statusName}>{STATUS_LABEL[s]}</span>
          </UnstyledButton>
        );
      })}
    </div>
  );
}

/** The secondary filters: priority, route, flag category and policy, model and deployment, dates. */
/** A searchable, clearable filter over one facet's values. */
function FacetSelect(p: { label: string; placeholder: string; values: string[] | undefined; value: string | null; onChange: (v: string | null) => void; testId: string }) {
  const data = useMemo(() => (p.values ?? []).map((x) => ({ value: x, label: x })), [p.values]);
  return <Select size="xs" label={p.label} placeholder={p.placeholder} data={data} value={p.value} onChange={p.onChange} clearable searchable data-testid={p.testId} />;
}

function FilterPanel({ open, facets, secondary }: { open: boolean; facets: Facets | undefined; secondary: number }) {
  const filter = useUi((s) => s.filter);
  const setFilter = useUi((s) => s.setFilter);
  const facetData = (xs: string[] | undefined) => (xs ?? []).map((x) => ({ value: x, label: x }));
  return (
    <Collapse expanded={open} transitionDuration={120}>
      <div className={classes.panel} data-testid="filters-panel">
        <div>
          <div className="section-label" style={{ marginBottom: 4 }}>
            Priority
          </div>
          <div className={classes.prios}>
            {PRIORITY_LABEL.map((label, p) => {
              const on = filter.priority.includes(p);
              return (
                <UnstyledButton
                  key={label}
                  className={classes.prio}
                  data-active={on || undefined}
                  aria-pressed={on}
                  data-testid={`priority-${p}`}
                  onClick={() => setFilter({ priority: toggle(filter.priority, p) })}
                  style={{ ['--c' as string]: `var(--mantine-color-${PRIORITY_COLOR[p]}-6)` }}
                >
                  {label}
                </UnstyledButton>
              );
            })}
          </div>
        </div>
        <MultiSelect
          size="xs"
          label="Route"
          placeholder={filter.route.length ? undefined : 'Any route'}
          data={facetData(facets?.routes)}
          value={filter.route}
          onChange={(route) => setFilter({ route })}
          clearable
          data-testid="filter-route"
          comboboxProps={{ withinPortal: true }}
        />
        <SimpleGrid cols={2} spacing={8}>
          <FacetSelect label="Flag category" placeholder="Any" values={facets?.flagCategories} value={filter.flagCategory} onChange={(flagCategory) => setFilter({ flagCategory })} testId="filter-category" />
          <FacetSelect label="Policy" placeholder="Any" values={facets?.flagPolicies} value={filter.flagPolicy} onChange={(flagPolicy) => setFilter({ flagPolicy })} testId="filter-policy" />
        </SimpleGrid>
        <SimpleGrid cols={2} spacing={8}>
          <FacetSelect label="Model" placeholder="Any model" values={facets?.models} value={filter.model} onChange={(model) => setFilter({ model })} testId="filter-model" />
          <FacetSelect label="Deployment" placeholder="Any" values={facets?.deployments} value={filter.deployment} onChange={(deployment) => setFilter({ deployment })} testId="filter-deployment" />
        </SimpleGrid>
        <SimpleGrid cols={2} spacing={8}>
          <TextInput
            size="xs"
            type="date"
            label="From"
            value={filter.from ?? ''}
            onChange={(e) => setFilter({ from: e.currentTarget.value || null })}
            data-testid="filter-from"
          />
          <TextInput
            size="xs"
            type="date"
            label="To (inclusive)"
            value={filter.to ?? ''}
            onChange={(e) => setFilter({ to: e.currentTarget.value || null })}
            data-testid="filter-to"
          />
        </SimpleGrid>
        {secondary > 0 && (
          <Button
            size="compact-xs"
            variant="subtle"
            color="gray"
            onClick={() => setFilter({ ...DEFAULT_FILTER, status: filter.status, search: filter.search })}
          >
            Clear these filters
          </Button>
        )}
      </div>
    </Collapse>
  );
}
