/** Shard 3 of the configuration matrix: see test/support/configuration-matrix.ts. */
import { describeConfigurationMatrix } from '../support/configuration-matrix';

describeConfigurationMatrix(3, 3);
