import { Subjects } from './subjects';

describe('Subjects', () => {
  it('builds every subject under the prefix', () => {
    expect(Subjects.command('gisbi', 'chat.message.created')).toBe('gisbi.cmd.chat.message.created');
    expect(Subjects.rpc('gisbi', 'auth', 'users.get_many')).toBe('gisbi.rpc.auth.users.get_many');
    expect(Subjects.deliverUser('gisbi', 'user_1')).toBe('gisbi.deliver.user.user_1');
    expect(Subjects.deliverAll('gisbi')).toBe('gisbi.deliver.user.*');
    expect(Subjects.control('gisbi', 'socket.opened')).toBe('gisbi.control.socket.opened');
    expect(Subjects.event('gisbi', 'connections.connection_accepted')).toBe(
      'gisbi.event.connections.connection_accepted',
    );
    expect(Subjects.eventsWildcard('gisbi')).toBe('gisbi.event.>');
  });

  it('keeps test prefixes apart, including their JetStream streams', () => {
    expect(Subjects.command('t_ab12', 'session.start')).toBe('t_ab12.cmd.session.start');
    expect(Subjects.streamName('gisbi')).toBe('GISBI_EVENTS');
    expect(Subjects.streamName('test.run-1')).toBe('TEST_RUN-1_EVENTS');
  });
});
