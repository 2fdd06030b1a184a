/**
 * The local cluster as its admin (the stack's kubeconfig), for what browser tests arrange or check
 * outside the portal: objects an operator or controller would make, and what the portal changed.
 */
import { KubeConfig, type ApiConstructor, type ApiType } from '@kubernetes/client-node';

process.loadEnvFile('.data/stack/stack.env');

const kubeConfig = new KubeConfig();
kubeConfig.loadFromFile(process.env.KUBECONFIG!);

export const adminApi = <T extends ApiType>(api: ApiConstructor<T>): T => kubeConfig.makeApiClient(api);
