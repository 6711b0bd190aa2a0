import { Button, Group, Text, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { errorMessage, prettyJson } from '../lib/format.ts';
import { useAsync } from '../lib/useAsync.ts';
import { useChangeVersionFor } from '../shell/changes.ts';
import { fetchInfo, fetchTaxonomy, loadTaxonomy, saveReviewer } from './queries.ts';
import classes from './Workspace.module.css';

export function SettingsSection() {
  const version = useChangeVersionFor('settings', 'taxonomy');
  const { data: info } = useAsync(`info:${version}`, fetchInfo);
  const { data: taxonomy } = useAsync(`tax:${version}`, fetchTaxonomy);
  const [name, setName] = useState<string | null>(null);
  const [json, setJson] = useState<string | null>(null);
  const [msg, setMsg] = useState<{ which: 'reviewer' | 'taxonomy'; ok: boolean; text: string } | null>(null);
  const reviewer = name ?? info?.reviewer ?? '';
  const taxonomyText = json ?? (taxonomy ? prettyJson(taxonomy) : '');

  const save = async () => {
    try {
      const r = await saveReviewer(reviewer);
      setName(null);
      setMsg({ which: 'reviewer', ok: true, text: `Verdicts will be recorded as ${r.reviewer}.` });
    } catch (err) {
      setMsg({ which: 'reviewer', ok: false, text: errorMessage(err) });
    }
  };
  const load = async () => {
    try {
      const t = await loadTaxonomy(taxonomyText);
      setJson(null);
      setMsg({ which: 'taxonomy', ok: true, text: `Loaded “${t.name}” with ${t.labels.length} labels.` });
    } catch (err) {
      setMsg({ which: 'taxonomy', ok: false, text: errorMessage(err) });
    }
  };

  return (
    <div className={classes.list} data-testid="settings-section">
      <div>
        <Group align="flex-end" gap={8} wrap="nowrap">
          <TextInput
            size="xs"
            label="Reviewer name"
            description="Recorded on every verdict and audit event you make."
            value={reviewer}
            onChange={(e) => setName(e.currentTarget.value)}
            className={classes.grow}
            data-testid="reviewer-name"
          />
          <Button size="xs" onClick={() => void save()} disabled={!reviewer.trim()} data-testid="reviewer-save">
            Save
          </Button>
        </Group>
        {msg?.which === 'reviewer' && (
          <Text size="xs" c={msg.ok ? 'teal' : 'red'} mt={4}>
            {msg.text}
          </Text>
        )}
      </div>
      <div>
        <Textarea
          label="Label taxonomy (JSON)"
          description='{"name": "...", "version": "1", "labels": [{"id": "S1", "name": "...", "description": "..."}]}'
          autosize
          minRows={8}
          maxRows={18}
          value={taxonomyText}
          onChange={(e) => setJson(e.currentTarget.value)}
          classNames={{ input: classes.monoInput }}
          spellCheck={false}
          data-testid="taxonomy-json"
        />
        <Group mt={8} gap={8}>
          <Button size="xs" onClick={() => void load()} data-testid="taxonomy-load">
            Load taxonomy
          </Button>
          {json !== null && (
            <Button size="xs" variant="subtle" color="gray" onClick={() => setJson(null)}>
              Revert
            </Button>
          )}
        </Group>
        {msg?.which === 'taxonomy' && (
          <Text size="xs" c={msg.ok ? 'teal' : 'red'} mt={4} data-testid="taxonomy-message">
            {msg.text}
          </Text>
        )}
      </div>
      {info && (
        <dl className="kv">
          <dt>Workspace file</dt>
          <dd className={`mono ${classes.breakAll}`}>{info.path}</dd>
          <dt>Workspace id</dt>
          <dd className="mono">{info.id}</dd>
          <dt>Schema / app</dt>
          <dd>
            v{info.schemaVersion} / {info.appVersion} ({info.mode})
          </dd>
        </dl>
      )}
    </div>
  );
}
