export * from './admin.dto';
export * from './auth.dto';
export * from './common.dto';
export * from './device.dto';
export * from './profile.dto';
export * from './proximity.dto';
export * from './user.dto';
