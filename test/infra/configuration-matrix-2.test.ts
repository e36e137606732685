/** Shard 2 of the configuration matrix: see test/support/configuration-matrix.ts. */
import { describeConfigurationMatrix } from '../support/configuration-matrix';

describeConfigurationMatrix(2, 3);
