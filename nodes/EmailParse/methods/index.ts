// The model list of the Ollama credential, shared with the Ollama node.
export { listSearch } from '../../Ollama/methods';
