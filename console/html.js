// preact's h() through htm's tagged templates: components as plain modules, no build step.
import { h } from 'preact';
import htm from 'htm';

export const html = htm.bind(h);
