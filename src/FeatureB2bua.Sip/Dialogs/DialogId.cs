namespace FeatureB2bua.Sip.Dialogs;

/// <summary>RFC 3261 §12: a dialog is named by its Call-ID and the two tags, seen from our side.</summary>
public readonly record struct DialogId(string CallId, string LocalTag, string RemoteTag);
