import { Shown } from '../lib/Shown.tsx';
import { visibleString } from '../lib/hidden-chars.ts';
import { Badge, Group, Text, Tooltip } from '@mantine/core';
import type { ItemView } from '../../electron/shared/contract.ts';
import { PRIORITY_COLOR, PRIORITY_LABEL, PRIORITY_SHORT, STATUS_COLOR, STATUS_LABEL } from '../lib/format.ts';
import { formatDateTime } from '../lib/time.ts';
import classes from './Item.module.css';

export function ItemHeader({ view, refreshing }: { view: ItemView; refreshing: boolean }) {
  const { item } = view;
  const p = Math.min(Math.max(item.priority, 0), 3);
  const prov = item.record.provenance as Record<string, unknown>;
  const model = (prov['gen_ai.response.model'] ?? prov['gen_ai.request.model'] ?? item.model ?? '') as string;
  return (
    <div className={classes.header} data-testid="item-header">
      <Group gap={8} wrap="nowrap" className={classes.headerTop}>
        <Text className={`${classes.itemId} truncate`} title={visibleString(item.externalId)} data-testid="item-external-id">
          <Shown text={item.externalId} />
        </Text>
        <Badge size="sm" variant="light" color={STATUS_COLOR[item.status] ?? 'gray'} data-testid="item-status" data-status={item.status}>
          {STATUS_LABEL[item.status] ?? item.status}
        </Badge>
        {/* Priority one way everywhere: P0–P3 as in the queue, the name on hover. */}
        <Badge size="sm" variant="outline" color={PRIORITY_COLOR[p]} title={`${PRIORITY_LABEL[p]} priority`} data-testid="item-priority">
          {PRIORITY_SHORT[p]}
        </Badge>
        {item.revision > 1 && (
          <Tooltip label="This item was re-ingested with different content">
            <Badge size="sm" variant="light" color="orange">
              rev {item.revision}
            </Badge>
          </Tooltip>
        )}
        {refreshing && <span className={classes.refreshing} aria-label="refreshing" />}
      </Group>
      <div className={classes.headerMeta}>
        <span>
          <span className={classes.metaKey}>Route</span> <Shown text={item.route} />
        </span>
        <span className={classes.shrink} title={visibleString(model)}>
          <span className={classes.metaKey}>Model</span> {model ? <Shown text={model} /> : '—'}
        </span>
        <span>
          <span className={classes.metaKey}>Created</span> {formatDateTime(item.createdAt)}
        </span>
        <span className={classes.shrink} title={visibleString(item.sourceName)}>
          <span className={classes.metaKey}>Source</span> <Shown text={item.sourceName} />
        </span>
      </div>
    </div>
  );
}
