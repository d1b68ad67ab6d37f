// A table of names (models, datasets, rules) whose ids are handed out as the names first appear.
import type { Database } from 'sql.js';
import type { Restore } from './checkpoint';

export class NameTable {
  private readonly ids = new Map<string, number>();
  private readonly names = new Map<number, string>();

  constructor(
    private readonly db: Database,
    private readonly table: string,
    private readonly column: string,
  ) {}

  id(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.ids.size + 1;
      this.ids.set(name, id);
      this.names.set(id, name);
      this.db.run(`INSERT INTO ${this.table}(id, ${this.column}) VALUES (?, ?)`, [id, name]);
    }
    return id;
  }

  /** The id of a name already known, or undefined. */
  find(name: string): number | undefined {
    return this.ids.get(name);
  }

  name(id: number): string | undefined {
    return this.names.get(id);
  }

  all(): string[] {
    return [...this.ids.keys()];
  }

  /** Names are only ever added (ids in order): a rolled-back transaction takes back those added since. */
  checkpoint(): Restore {
    const size = this.ids.size;
    return () => {
      for (const [name, id] of this.ids) {
        if (id <= size) continue;
        this.ids.delete(name);
        this.names.delete(id);
      }
    };
  }
}
