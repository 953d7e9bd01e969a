namespace AspireVector.Dashboard.Components;

/// <summary>The API's answer to the latest action: what was asked, and the result or error text.</summary>
/// <param name="Action">What was asked, in words.</param>
/// <param name="Succeeded">True when the API accepted it.</param>
/// <param name="Message">The API's result (raw JSON) or error message.</param>
/// <param name="At">When the answer arrived.</param>
public sealed record ActionOutcome(string Action, bool Succeeded, string Message, DateTimeOffset At);
