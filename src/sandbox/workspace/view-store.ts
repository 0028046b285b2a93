// Home tabs (one per user) and modal stacks. Each write gets a new hash, so an update carrying a stale
// hash is refused like Slack's hash_conflict: two writers cannot silently overwrite each other.
import type { Feed } from './feed.ts';
import { newId, newToken } from './ids.ts';
import type { Json, JsonObject, StoredView } from './types.ts';

export type ViewWriteError = 'not_found' | 'hash_conflict' | 'duplicate_external_id';

const text = (value: Json | undefined): string => (typeof value === 'string' ? value : '');

export class ViewStore {
  private readonly byId = new Map<string, StoredView>();
  private readonly homeByUser = new Map<string, string>();

  constructor(
    private readonly feed: Feed,
    readonly teamId: string,
  ) {}

  publishHome(user: string, definition: JsonObject, hash?: string): StoredView | ViewWriteError {
    const existingId = this.homeByUser.get(user);
    const existing = existingId ? this.byId.get(existingId) : undefined;
    if (existing && hash && hash !== existing.hash) return 'hash_conflict';
    const view = this.build(user, 'home', definition, existing?.id);
    this.byId.set(view.id, view);
    this.homeByUser.set(user, view.id);
    this.feed.emit({ type: 'home', user, view: structuredClone(view) });
    return structuredClone(view);
  }

  home(user: string): StoredView | undefined {
    const id = this.homeByUser.get(user);
    return id ? this.get(id) : undefined;
  }

  /** Opens a modal; with `parent`, pushes it on the parent's stack. */
  open(user: string, definition: JsonObject, parent?: StoredView): StoredView | ViewWriteError {
    if (this.externalIdTaken(definition)) return 'duplicate_external_id';
    const view = this.build(user, 'modal', definition);
    if (parent) {
      view.root_view_id = parent.root_view_id;
      view.previous_view_id = parent.id;
    }
    this.byId.set(view.id, view);
    this.feed.emit({ type: 'view_opened', user, view: structuredClone(view) });
    return structuredClone(view);
  }

  update(id: string, definition: JsonObject, hash?: string): StoredView | ViewWriteError {
    const existing = this.byId.get(id);
    if (!existing) return 'not_found';
    if (hash && hash !== existing.hash) return 'hash_conflict';
    if (this.externalIdTaken(definition, id)) return 'duplicate_external_id';
    const view = this.build(existing.user, existing.type, definition, existing.id);
    view.root_view_id = existing.root_view_id;
    view.previous_view_id = existing.previous_view_id;
    view.open = existing.open;
    this.byId.set(id, view);
    const type = view.type === 'home' ? 'home' : 'view_updated';
    this.feed.emit({ type, user: view.user, view: structuredClone(view) });
    return structuredClone(view);
  }

  /** Closes a modal; with `wholeStack`, every modal of its stack (Slack's response_action: clear). */
  close(id: string, wholeStack = false): void {
    const view = this.byId.get(id);
    if (!view || !view.open) return;
    const closing = wholeStack
      ? [...this.byId.values()].filter(
          (v) => v.type === 'modal' && v.open && v.root_view_id === view.root_view_id,
        )
      : [view];
    for (const other of closing) {
      other.open = false;
      this.feed.emit({ type: 'view_closed', user: other.user, view: structuredClone(other) });
    }
  }

  setErrors(id: string, errors: Record<string, string>): void {
    const view = this.byId.get(id);
    if (view) view.errors = { ...errors };
  }

  get(id: string): StoredView | undefined {
    const view = this.byId.get(id);
    return view && structuredClone(view);
  }

  byExternalId(externalId: string): StoredView | undefined {
    const view = [...this.byId.values()].find((v) => v.external_id === externalId && externalId !== '');
    return view && structuredClone(view);
  }

  /** The user's open modals, bottom of the stack first. */
  openModals(user: string): StoredView[] {
    return [...this.byId.values()]
      .filter((v) => v.type === 'modal' && v.open && v.user === user)
      .map((v) => structuredClone(v));
  }

  private externalIdTaken(definition: JsonObject, except?: string): boolean {
    const externalId = text(definition.external_id);
    return (
      externalId !== '' &&
      [...this.byId.values()].some((v) => v.external_id === externalId && v.id !== except)
    );
  }

  private build(user: string, type: StoredView['type'], definition: JsonObject, id = newId('V')): StoredView {
    return {
      id,
      type,
      user,
      callback_id: text(definition.callback_id),
      private_metadata: text(definition.private_metadata),
      external_id: text(definition.external_id),
      hash: `${Math.floor(Date.now() / 1000)}.${newToken(4)}`,
      root_view_id: id,
      previous_view_id: null,
      definition: structuredClone(definition),
      open: type === 'modal',
    };
  }
}
