// Every workload family, by name. A family: { label, params(draws) → params,
// start(params, ctx) → { run(durationMs), stats(), collect?(), close?() } }.
import { fragmentationFamilies } from './fragmentation.mjs';
import { loggingFamilies } from './logging.mjs';
import { nativeLeakFamilies } from './native-leak.mjs';
import { stableFamilies } from './stable.mjs';
import { v8LeakFamilies } from './v8-leak.mjs';
import { websocketFamilies } from './websocket.mjs';

export const families = { ...nativeLeakFamilies, ...v8LeakFamilies, ...fragmentationFamilies, ...stableFamilies, ...websocketFamilies, ...loggingFamilies };
