/** Shard 1 of the configuration matrix: see test/support/configuration-matrix.ts. */
import { describeConfigurationMatrix } from '../support/configuration-matrix';

describeConfigurationMatrix(1, 3);
