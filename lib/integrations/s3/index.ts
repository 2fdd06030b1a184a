export { storageFor, type S3Config, type StoredObject, type TenantStorage } from './storage';
export { baseName, parseS3Uri } from './keys';
