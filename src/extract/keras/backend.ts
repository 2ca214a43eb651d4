// Keras' global image data format: `K.image_data_format()`, `keras.config.set_image_data_format(...)`.
import type { PyNode } from '../../parse/py-node.js';
import type { Value } from '../abstract/values.js';
import { NONE_VALUE, UNKNOWN_VALUE, str } from '../abstract/values.js';
import type { ModelBuilder } from '../graph.js';
import { perFile } from '../frontend-kit.js';
import type { Interpreter } from '../interpreter.js';

type DataFormat = 'channels_last' | 'channels_first';

interface FormatState {
  /** set by the code with `set_image_data_format(...)`, from the graph node count at that point */
  set?: { format: DataFormat; from: number };
  /** where the code first asked for the format before setting it, and the graph node count then */
  assumed?: { line: number; from: number; call: string };
}

const stateOf = perFile((): FormatState => ({}));

const LEGACY_ORDERING: Record<DataFormat, string> = { channels_last: 'tf', channels_first: 'th' };

/**
 * The backend's format functions (keras.backend and keras.config in Keras 3, keras.backend in
 * Keras 2; `image_dim_ordering()` answers 'tf' or 'th' in Keras 1 and 2.0–2.2). The format comes
 * from ~/.keras/keras.json of the machine that runs the code, `channels_last` unless it says
 * otherwise: footgun takes that default and says so in the summary of the models built after.
 */
export function backendCall(namespace: string, name: string, args: Value[], node: PyNode, interp: Interpreter): Value | undefined {
  if (!namespace.startsWith('backend') && !namespace.startsWith('config')) return undefined;
  const state = stateOf(interp);
  if (name === 'image_data_format' || name === 'image_dim_ordering') {
    const format = state.set?.format ?? 'channels_last';
    if (!state.set && !state.assumed) state.assumed = { line: node.line, from: interp.graph.nodes.length, call: node.text.length <= 60 ? node.text : `${name}()` };
    return str(name === 'image_data_format' ? format : LEGACY_ORDERING[format]);
  }
  if (name === 'set_image_data_format' || name === 'set_image_dim_ordering') {
    const [value] = args;
    const format = value?.kind === 'string' ? (value.value === 'th' ? 'channels_first' : value.value === 'tf' ? 'channels_last' : value.value) : undefined;
    if (format === 'channels_last' || format === 'channels_first') state.set = { format, from: interp.graph.nodes.length };
    else return UNKNOWN_VALUE;
    return NONE_VALUE;
  }
  return undefined;
}

/** Gives the models built after the code set or asked for the format what it is, and the note on the assumption. */
export function applyDataFormat(interp: Interpreter): void {
  const state = stateOf(interp);
  if (!state.set && !state.assumed) return;
  for (const builder of interp.builders) {
    if (builder.framework !== 'keras') continue;
    if (state.set && builtAfter(builder, state.set.from, interp)) builder.dataFormat = state.set.format;
    if (state.assumed && builtAfter(builder, state.assumed.from, interp)) {
      builder.notes.push(`\`${state.assumed.call}\` (line ${state.assumed.line}) reads ~/.keras/keras.json; footgun took Keras' default, channels_last.`);
    }
  }
}

function builtAfter(builder: ModelBuilder, from: number, interp: Interpreter): boolean {
  return builder.kerasNodes(interp.graph).some((id) => id >= from);
}
