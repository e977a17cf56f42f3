// Tabs as the ARIA authoring practices have them: arrow keys move between tabs, one tab stop.
import { $$ } from './dom.mjs';

export function selectTab(name, focus = false) {
  for (const tab of $$('[role="tab"]')) {
    const on = tab.id === `tab-${name}`;
    tab.setAttribute('aria-selected', String(on));
    tab.tabIndex = on ? 0 : -1;
    document.getElementById(tab.getAttribute('aria-controls')).hidden = !on;
    if (on && focus) tab.focus();
  }
  // Views drawn while hidden (charts) re-fit once shown.
  document.dispatchEvent(new CustomEvent('tabshown', { detail: name }));
}

export function initTabs() {
  const tabs = $$('[role="tab"]');
  tabs.forEach((tab, i) => {
    tab.addEventListener('click', () => selectTab(tab.id.slice(4)));
    tab.addEventListener('keydown', (e) => {
      const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[e.key];
      if (next === undefined) return;
      e.preventDefault();
      selectTab(tabs[(next + tabs.length) % tabs.length].id.slice(4), true);
    });
  });
}
