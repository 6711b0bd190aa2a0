/** The titled section every part of the export form sits in. */
import type { ReactNode } from 'react';
import type { DraftErrors } from './model.ts';
import classes from './Export.module.css';

/** What every form section gets from the form: its validation errors, and whether an export is running. */
export interface SectionProps {
  errors: DraftErrors;
  disabled: boolean;
}

export function Section({ title, hint, children }: { title: string; hint?: ReactNode; children: ReactNode }) {
  return (
    <section className={classes.section}>
      <div className={classes.sectionHead}>
        <span className="section-label">{title}</span>
        {hint && <span className={classes.sectionHint}>{hint}</span>}
      </div>
      {children}
    </section>
  );
}
