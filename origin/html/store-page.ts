/**
 * Wraps a page body in the store's layout. Edge pages (ESI templates) get the promo include and
 * the ESI-only footer; pages the origin answers directly (the cart after a POST, the order
 * confirmation) get plain HTML, since nothing processes ESI on them.
 */
import { loadText, renderHtml } from './render-html.ts';

export interface StorePage {
  kind: string;
  title: string;
  content: string;
  /** The path the consent form returns to after a choice. */
  path: string;
  /** True for ESI templates the edge assembles. */
  edge: boolean;
  /** Shown in the header's basket link; empty when the origin cannot know it (shared templates). */
  cartCount?: string;
  /** False on the privacy page, which shows the form in its body instead. */
  banner?: boolean;
}

const TEMPLATES = new URL('../templates/', import.meta.url).href;

function part(file: string, values: Record<string, string> = {}): string {
  return renderHtml(loadText(TEMPLATES, file), values);
}

export function consentForm(path: string): string {
  return part('./consent-banner.html', { returnPath: path });
}

export function renderStorePage(page: StorePage): string {
  return part('./layout.html', {
    pageKind: page.kind,
    title: page.title,
    content: page.content,
    cartCount: page.cartCount ?? '',
    edgeComment: page.edge ? part('./edge-parts.html') : '',
    promo: page.edge ? part('./edge-promo.html') : '',
    edgeFooter: page.edge ? part('./edge-footer.html') : '',
    // Pages the origin answers itself (basket, order) are never assembled: no ESI may reach them.
    edgeDecision: page.edge ? part('./edge-decision.html') : '',
    consentBanner: page.banner === false ? '' : consentForm(page.path),
  });
}
