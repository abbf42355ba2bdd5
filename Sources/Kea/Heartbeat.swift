/// How a long install tells a supervisor that it is still getting somewhere (`watch` under systemd's `WatchdogSec=`):
/// the installer beats between its steps, and while the check command runs it beats only when the command's process
/// group used CPU since the last look. A check that hangs (blocked, stopped, waiting on nothing) therefore stops the
/// beats, and the supervisor's watchdog fires as it should; `kea-dhcpN -t` on a config of 1,000,000 reservations
/// works for minutes and keeps them coming.
public struct Heartbeat: Sendable {
    /// The longest time between beats while progress is made (half the watchdog's time-out, systemd's advice).
    public let interval: Duration
    public let beat: @Sendable () -> Void

    public init(interval: Duration, beat: @escaping @Sendable () -> Void) {
        self.interval = interval
        self.beat = beat
    }
}
