namespace AspireVector.ServiceDefaults.Metrics;

/// <summary>
/// A singleton that creates instruments on a meter. Register it as <see cref="IMeterOwner"/> too, so it is
/// created when the host starts: observable gauges only report once their owner exists.
/// </summary>
public interface IMeterOwner
{
    /// <summary>The name of the meter this owner creates its instruments on.</summary>
    string MeterName { get; }
}
